package dev.berth.app.images;

import dev.berth.app.components.Dialogs;
import dev.berth.app.i18n.Localization;
import dev.berth.app.images.ImagesViewModel.Row;
import javafx.scene.Node;

/** Remove: asks first, says what will happen (untag or delete), with a "force" checkbox. */
public final class RemoveDialog {

    private final ImagesViewModel vm;
    private final Localization i18n;
    private final Node owner;
    private final Row row;

    public RemoveDialog(ImagesViewModel vm, Localization i18n, Node owner, Row row) {
        this.vm = vm;
        this.i18n = i18n;
        this.owner = owner;
        this.row = row;
    }

    public void show() {
        boolean untagOnly = !row.dangling() && row.image().repoTags().size() > 1;
        Dialogs.confirm(owner, i18n, "remove")
                .title(i18n.text("remove.title"))
                .heading(i18n.text("remove.heading", row.reference()))
                .body(untagOnly ? i18n.text("remove.body.untag", row.image().repoTags().size() - 1)
                        : i18n.text("remove.body.delete", row.shortId(), Formats.size(row.size())))
                .option(i18n.text("remove.force"), "remove-force")
                .optionNote(i18n.text("remove.force.note"))
                .confirmLabel(i18n.text("remove.confirm"))
                .show(force -> vm.remove(row, force));
    }
}
