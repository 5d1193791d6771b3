package dev.berth.app.shell;

import dev.berth.app.builds.BuildDialogFlow;
import dev.berth.app.builds.BuildRun;
import dev.berth.app.builds.BuildsView;
import dev.berth.app.builds.DockerfileDropTarget;
import dev.berth.app.containers.ContainersView;
import dev.berth.app.containers.details.ContainerDetailsPane;
import dev.berth.app.events.EventsView;
import dev.berth.app.i18n.Localization;
import dev.berth.app.images.ImagesView;
import dev.berth.app.networks.NetworksView;
import dev.berth.app.settings.SettingsView;
import dev.berth.app.volumes.VolumesView;
import dev.berth.ui.UiResources;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.Label;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.Ikon;
import org.kordamp.ikonli.javafx.FontIcon;
import org.kordamp.ikonli.materialdesign2.MaterialDesignC;
import org.kordamp.ikonli.materialdesign2.MaterialDesignD;
import org.kordamp.ikonli.materialdesign2.MaterialDesignH;
import org.kordamp.ikonli.materialdesign2.MaterialDesignL;
import org.kordamp.ikonli.materialdesign2.MaterialDesignP;

import java.util.EnumMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The main window: navigation on the left, the selected pane in the middle, the status bar below.
 * A Dockerfile (or a folder with one) dropped anywhere on it opens the Build dialog.
 */
public final class MainWindowView {

    private final StackPane root = new StackPane();
    private final BorderPane frame = new BorderPane();
    private final StackPane content = new StackPane();
    private final Map<Page, Supplier<Parent>> factories = new EnumMap<>(Page.class);
    private final Map<Page, Parent> panes = new EnumMap<>(Page.class);
    private final ToggleGroup nav = new ToggleGroup();
    private final Map<Page, ToggleButton> navButtons = new EnumMap<>(Page.class);
    private final MainWindowViewModel viewModel;
    private final Localization i18n;
    private ContainersView containersView;
    private ContainerDetailsPane details;
    private final BuildDialogFlow buildFlow;

    public MainWindowView(MainWindowViewModel vm, Localization i18n) {
        this.viewModel = vm;
        this.i18n = i18n;
        // Build: the dialog, then the Builds page; a success selects the image in Images and offers Run…
        buildFlow = new BuildDialogFlow(vm.builds(), vm.executor(), i18n, () -> vm.pageProperty().set(Page.BUILDS),
                run -> vm.images().select(run.imageId()),
                run -> {
                    vm.images().select(run.imageId());
                    vm.pageProperty().set(Page.IMAGES);
                },
                this::runBuiltImage);
        // on the Builds page, showing that build, its own Show in Images and Run... are right there
        buildFlow.hideWhile(javafx.beans.binding.Bindings.createBooleanBinding(
                () -> vm.pageProperty().get() == Page.BUILDS
                        && vm.builds().selectedProperty().get() == buildFlow.lastSucceededProperty().get(),
                vm.pageProperty(), vm.builds().selectedProperty(), buildFlow.lastSucceededProperty()));
        factories.put(Page.CONTAINERS, () -> containersView().root());
        factories.put(Page.IMAGES, () -> {
            ImagesView images = new ImagesView(vm.images(), vm.registries(), i18n);
            // Run… on an image: the Containers pane's Run dialog, then that pane with the new container selected
            images.setOnRun(image -> containersView().openRunDialog(images.root(), image,
                    () -> vm.pageProperty().set(Page.CONTAINERS)));
            images.setOnBuild(() -> buildFlow.chooseAndOpen(root));
            return images.root();
        });
        factories.put(Page.VOLUMES, () -> new VolumesView(vm.volumes(), i18n).root());
        factories.put(Page.NETWORKS, () -> new NetworksView(vm.networks(), i18n).root());
        factories.put(Page.BUILDS, () -> {
            BuildsView builds = new BuildsView(vm.builds(), i18n);
            builds.setOnBuild(() -> buildFlow.chooseAndOpen(root));
            builds.setOnShowImage(run -> {
                vm.images().select(run.imageId());
                vm.pageProperty().set(Page.IMAGES);
            });
            builds.setOnRun(this::runBuiltImage);
            return builds.root();
        });
        factories.put(Page.EVENTS, () -> new EventsView(vm.events(), i18n).root());
        factories.put(Page.SETTINGS, () -> new SettingsView(vm.settings(), vm.registries(), i18n).root());

        ImageView logo = new ImageView(new Image(UiResources.logo(64), 32, 32, true, true));
        Label name = new Label();
        name.textProperty().bind(i18n.text("app.title"));
        name.getStyleClass().add("brand-name");
        Label tagline = new Label();
        tagline.textProperty().bind(i18n.text("app.tagline"));
        tagline.getStyleClass().add("brand-tagline");
        HBox brand = new HBox(logo, new VBox(name, tagline));
        brand.getStyleClass().add("brand");

        Region spacer = new Region();
        VBox.setVgrow(spacer, Priority.ALWAYS);
        VBox sidebar = new VBox(brand,
                section(i18n, "nav.section.manage"),
                navButton(i18n, Page.CONTAINERS, MaterialDesignC.CUBE_OUTLINE),
                navButton(i18n, Page.IMAGES, MaterialDesignL.LAYERS_OUTLINE),
                navButton(i18n, Page.VOLUMES, MaterialDesignD.DATABASE_OUTLINE),
                navButton(i18n, Page.NETWORKS, MaterialDesignL.LAN),
                navButton(i18n, Page.BUILDS, MaterialDesignH.HAMMER_WRENCH),
                section(i18n, "nav.section.observe"),
                navButton(i18n, Page.EVENTS, MaterialDesignP.PULSE),
                spacer,
                navButton(i18n, Page.SETTINGS, MaterialDesignC.COG_OUTLINE));
        sidebar.getStyleClass().add("sidebar");

        nav.selectedToggleProperty().addListener((obs, old, now) -> {
            if (now == null) {
                old.setSelected(true); // one page is always selected
            } else {
                vm.pageProperty().set((Page) now.getUserData());
            }
        });
        vm.pageProperty().addListener((obs, old, now) -> show(now));
        show(vm.pageProperty().get());

        content.getStyleClass().add("content");
        VBox.setVgrow(content, Priority.ALWAYS);
        frame.setLeft(sidebar);
        frame.setCenter(new VBox(buildFlow.notice(), content));
        frame.setBottom(new StatusBarView(vm.statusBar()).root());
        root.getChildren().add(frame);
        new DockerfileDropTarget(root, i18n, drop -> buildFlow.open(root, drop.contextDir(), drop.dockerfile()));
        root.setId("main-window");
    }

    /** The details below the containers table (made with {@link #containersView()}). */
    public ContainerDetailsPane containerDetails() {
        containersView();
        return details;
    }

    /** Stops the details pane's streams and terminals (the window is closing). */
    public void close() {
        if (details != null) {
            details.close();
        }
    }

    /** The Containers pane's view, made once (Images → Run… needs it before the pane is first shown). */
    public ContainersView containersView() {
        if (containersView == null) {
            containersView = new ContainersView(viewModel.containers(), i18n);
            details = new ContainerDetailsPane(viewModel::api, viewModel.executor(), i18n);
            containersView.setDetails(details.node(), details::show, details::refresh);
        }
        return containersView;
    }

    /** Run… on a built image: the Containers pane's Run dialog with its first tag (or its id). */
    private void runBuiltImage(BuildRun run) {
        String reference = run.tagged().isEmpty()
                ? (run.request().tags().isEmpty() ? run.imageId() : run.request().tags().getFirst())
                : run.tagged().getFirst();
        containersView().openRunDialog(root, reference, () -> viewModel.pageProperty().set(Page.CONTAINERS));
    }

    /** The Build dialog flow: drop, Build…, and the notice after a build. */
    public BuildDialogFlow buildFlow() {
        return buildFlow;
    }

    private static Node section(Localization i18n, String key) {
        Label l = new Label();
        l.textProperty().bind(i18n.text(key));
        l.getStyleClass().add("nav-section");
        return l;
    }

    private ToggleButton navButton(Localization i18n, Page page, Ikon icon) {
        ToggleButton b = new ToggleButton();
        b.setId("nav-" + page.id());
        b.textProperty().bind(i18n.text(page.navKey()));
        b.setGraphic(new FontIcon(icon));
        b.getStyleClass().add("nav-button");
        b.setUserData(page);
        b.setToggleGroup(nav);
        b.setMaxWidth(Double.MAX_VALUE);
        navButtons.put(page, b);
        return b;
    }

    private void show(Page page) {
        Parent pane = panes.computeIfAbsent(page, p -> factories.get(p).get());
        content.getChildren().setAll(pane);
        ToggleButton b = navButtons.get(page);
        if (b != null && !b.isSelected()) {
            b.setSelected(true);
        }
    }

    public Parent root() {
        return root;
    }
}
