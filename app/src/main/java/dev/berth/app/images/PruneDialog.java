package dev.berth.app.images;

import dev.berth.app.components.Dialogs;
import dev.berth.app.i18n.Localization;
import javafx.scene.Node;

/** Prune: asks first (dangling only, or every unused image), then shows what was removed and the space reclaimed. */
public final class PruneDialog {

    private final ImagesViewModel vm;
    private final Localization i18n;
    private final Node owner;

    public PruneDialog(ImagesViewModel vm, Localization i18n, Node owner) {
        this.vm = vm;
        this.i18n = i18n;
        this.owner = owner;
    }

    public void show() {
        Dialogs.confirm(owner, i18n, "prune")
                .title(i18n.text("prune.title"))
                .heading(i18n.text("prune.heading"))
                .body(i18n.text("prune.body"))
                .option(i18n.text("prune.all"), "prune-all")
                .confirmLabel(i18n.text("prune.confirm"))
                .showAndReport((all, report) -> vm.prune(all, r ->
                        report.accept(i18n.text("prune.result", r.deletedCount(), Formats.size(r.spaceReclaimed())))));
    }
}
