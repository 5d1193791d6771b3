package dev.berth.app.containers;

import dev.berth.app.components.Dialogs;
import dev.berth.app.containers.ContainersViewModel.Action;
import dev.berth.app.containers.ContainersViewModel.Row;
import dev.berth.app.i18n.Localization;
import javafx.scene.Node;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Remove: asks first, names the containers, says that running ones are killed first (removed
 * with force), and offers "also remove anonymous volumes" ({@code docker rm -v}).
 */
final class RemoveContainersDialog {

    private final ContainersViewModel vm;
    private final Localization i18n;
    private final Node owner;
    private final List<Row> targets;

    RemoveContainersDialog(ContainersViewModel vm, Localization i18n, Node owner, List<Row> targets) {
        this.vm = vm;
        this.i18n = i18n;
        this.owner = owner;
        this.targets = targets;
    }

    void show() {
        List<Row> removable = targets.stream().filter(r -> Action.REMOVE.appliesTo(r.state())).toList();
        String names = removable.stream().map(r -> r.container().name()).collect(Collectors.joining(", "));
        List<String> running = removable.stream().filter(r -> r.state().alive()).map(r -> r.container().name()).toList();
        Dialogs.confirm(owner, i18n, "containers-remove")
                .title(i18n.text("containers.remove.title"))
                .heading(removable.size() == 1 ? i18n.text("containers.remove.heading.one", names)
                        : i18n.text("containers.remove.heading.many", removable.size()))
                .body(i18n.text("containers.remove.body", names))
                .detail(i18n.text("containers.remove.running", String.join(", ", running)), "containers-remove-running",
                        !running.isEmpty())
                .option(i18n.text("containers.remove.volumes"), "containers-remove-volumes")
                .optionNote(i18n.text("containers.remove.volumes.note"))
                .confirmLabel(i18n.text("containers.remove.confirm"))
                .show(volumes -> vm.apply(Action.REMOVE, removable, volumes));
    }
}
