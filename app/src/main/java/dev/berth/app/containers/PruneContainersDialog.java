package dev.berth.app.containers;

import dev.berth.app.components.Dialogs;
import dev.berth.app.i18n.Localization;
import javafx.scene.Node;

import java.util.stream.Collectors;

/** Prune: names the stopped containers that {@code docker container prune} would remove, and asks first. */
final class PruneContainersDialog {

    private final ContainersViewModel vm;
    private final Localization i18n;
    private final Node owner;

    PruneContainersDialog(ContainersViewModel vm, Localization i18n, Node owner) {
        this.vm = vm;
        this.i18n = i18n;
        this.owner = owner;
    }

    void show() {
        String names = vm.allRows().stream().filter(r -> !r.state().alive()).map(r -> r.container().name())
                .sorted().collect(Collectors.joining(", "));
        Dialogs.confirm(owner, i18n, "containers-prune")
                .title(i18n.text("containers.prune.title"))
                .heading(i18n.text("containers.prune.heading"))
                .body(i18n.text("containers.prune.body", names))
                .confirmLabel(i18n.text("containers.prune.confirm"))
                .show(unused -> vm.prune());
    }
}
