package dev.berth.app.settings;

import dev.berth.app.backend.Backend;
import dev.berth.app.backend.RegistrySettings;
import dev.berth.app.i18n.ErrorText;
import dev.berth.app.i18n.Text;
import dev.berth.app.task.UiExecutor;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.Arrays;
import java.util.List;

/**
 * Settings → Registries: logins per registry and the engine's mirrors and insecure registries.
 * The password lives in {@link #passwordProperty()} only until the login is sent: it is cleared
 * then, whatever the outcome, and never written to a status text or a log.
 */
public final class RegistriesViewModel {

    private final UiExecutor executor;
    private final ReadOnlyObjectWrapper<Backend> backend = new ReadOnlyObjectWrapper<>(this, "backend");
    private final StringProperty registry = new SimpleStringProperty(this, "registry", "docker.io");
    private final StringProperty username = new SimpleStringProperty(this, "username", "");
    private final StringProperty password = new SimpleStringProperty(this, "password", "");
    private final StringProperty mirrors = new SimpleStringProperty(this, "mirrors", "");
    private final StringProperty insecure = new SimpleStringProperty(this, "insecure", "");
    private final ReadOnlyBooleanWrapper editable = new ReadOnlyBooleanWrapper(this, "editable");
    private final ReadOnlyObjectWrapper<Text> loginStatus = new ReadOnlyObjectWrapper<>(this, "loginStatus");
    private final ReadOnlyBooleanWrapper loginFailed = new ReadOnlyBooleanWrapper(this, "loginFailed");
    private final ReadOnlyObjectWrapper<Text> listsStatus = new ReadOnlyObjectWrapper<>(this, "listsStatus");
    private final ReadOnlyBooleanWrapper listsFailed = new ReadOnlyBooleanWrapper(this, "listsFailed");
    private final ObservableList<String> loggedIn = FXCollections.observableArrayList();

    public RegistriesViewModel(UiExecutor executor) {
        this.executor = executor;
    }

    /** Reads the engine's registry settings. */
    public void connect(Backend b) {
        backend.set(b);
        executor.submit(Text.of("task.readRegistrySettings"), b::registrySettings, this::show,
                e -> fail(listsStatus, listsFailed, e));
    }

    private void show(RegistrySettings s) {
        mirrors.set(String.join("\n", s.mirrors()));
        insecure.set(String.join("\n", s.insecureRegistries()));
        editable.set(s.editable());
        listsFailed.set(false);
        listsStatus.set(s.editable() ? Text.of("registries.lists.file", s.configFile()) : Text.of("registries.lists.readOnly"));
    }

    /** Sends the login; clears the password field whatever happens. {@code onSuccess} runs after a good one. */
    public void login(Runnable onSuccess) {
        Backend b = backend.get();
        String reg = registry.get() == null ? "" : registry.get().strip();
        String user = username.get() == null ? "" : username.get().strip();
        String pass = password.get() == null ? "" : password.get();
        password.set("");
        if (b == null || reg.isEmpty() || user.isEmpty() || pass.isEmpty()) {
            loginFailed.set(true);
            loginStatus.set(Text.of("registries.login.incomplete"));
            return;
        }
        executor.submit(Text.of("task.login", reg), () -> {
            b.login(reg, user, pass);
            return reg;
        }, r -> {
            loginFailed.set(false);
            loginStatus.set(Text.of("registries.login.done", user, r));
            if (!loggedIn.contains(r)) {
                loggedIn.add(r);
            }
            onSuccess.run();
        }, e -> fail(loginStatus, loginFailed, e));
    }

    public void logout() {
        Backend b = backend.get();
        String reg = registry.get() == null ? "" : registry.get().strip();
        if (b == null || reg.isEmpty()) {
            return;
        }
        executor.submit(Text.of("task.logout", reg), () -> b.logout(reg), had -> {
            loginFailed.set(false);
            loginStatus.set(had ? Text.of("registries.logout.done", reg) : Text.of("registries.logout.none", reg));
            loggedIn.remove(reg);
        }, e -> fail(loginStatus, loginFailed, e));
    }

    /** Checks and stores the two lists (one entry a line). */
    public void saveLists() {
        Backend b = backend.get();
        if (b == null) {
            return;
        }
        List<String> m = lines(mirrors.get());
        List<String> i = lines(insecure.get());
        executor.submit(Text.of("task.saveRegistrySettings"), () -> b.saveRegistrySettings(m, i), s -> {
            show(s);
            listsStatus.set(Text.of("registries.lists.saved", s.configFile()));
        }, e -> fail(listsStatus, listsFailed, e));
    }

    static List<String> lines(String text) {
        return text == null ? List.of() : Arrays.stream(text.split("\\R")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    private static void fail(ReadOnlyObjectWrapper<Text> status, ReadOnlyBooleanWrapper failed, Throwable e) {
        failed.set(true);
        status.set(ErrorText.of(e));
    }

    public StringProperty registryProperty() {
        return registry;
    }

    public StringProperty usernameProperty() {
        return username;
    }

    public StringProperty passwordProperty() {
        return password;
    }

    /** Mirrors, one URL a line. */
    public StringProperty mirrorsProperty() {
        return mirrors;
    }

    /** Insecure registries, one host, host:port or CIDR a line. */
    public StringProperty insecureProperty() {
        return insecure;
    }

    /** Whether the lists can be changed from here (an embedded engine); read-only for a remote one. */
    public ReadOnlyBooleanProperty editableProperty() {
        return editable.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Text> loginStatusProperty() {
        return loginStatus.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty loginFailedProperty() {
        return loginFailed.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Text> listsStatusProperty() {
        return listsStatus.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty listsFailedProperty() {
        return listsFailed.getReadOnlyProperty();
    }

    /** Registries logged in to during this session. */
    public ObservableList<String> loggedIn() {
        return loggedIn;
    }
}
