package dev.berth.app.builds;

import dev.berth.app.i18n.Text;
import dev.berth.app.task.UiExecutor;
import dev.berth.engine.build.dockerfile.ArgDecl;
import dev.berth.engine.build.dockerfile.Dockerfile;
import dev.berth.engine.build.dockerfile.DockerfileError;
import dev.berth.engine.build.dockerfile.DockerfileParser;
import dev.berth.engine.build.dockerfile.Instruction;
import dev.berth.engine.build.dockerfile.Stage;
import dev.berth.engine.image.Reference;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

/**
 * The Build dialog's state and checks, without nodes: context folder, Dockerfile, tags, build
 * args, target stage, no-cache and pull. Whenever the context or the Dockerfile changes, the
 * Dockerfile is read and parsed with the engine's parser on a background thread; its stages fill
 * the target choice and its ARGs the build-args rows (a declared ARG left at its default is not
 * sent, so the Dockerfile's default applies). {@link #problemsProperty()} lists what is wrong,
 * field by field, as the user types; {@link #request()} turns a form without problems into a
 * {@link BuildRequest}.
 *
 * <p>A Dockerfile outside the context folder is refused with a message saying so (the request
 * names the Dockerfile relative to the context, and the engine only reads the context): choose
 * a context that contains it. The docker CLI instead smuggles such a file into the context under
 * a made-up name; refusing keeps what is built exactly what the folder holds.
 */
public final class BuildDialogModel {

    /** The form's parts a problem can belong to. */
    public enum Field { CONTEXT, DOCKERFILE, TAGS, BUILD_ARGS, TARGET }

    /** One thing wrong with the form. */
    public record Problem(Field field, Text text) {}

    /** One tag row. */
    public static final class TagRow {
        private final StringProperty text = new SimpleStringProperty(this, "text", "");

        public TagRow(String text) {
            this.text.set(text);
        }

        public StringProperty textProperty() {
            return text;
        }
    }

    /**
     * One build-arg row: declared by the Dockerfile (its name fixed, {@code declaredDefault} its
     * default or null when it has none) or added by hand.
     */
    public static final class ArgRow {
        private final StringProperty name = new SimpleStringProperty(this, "name", "");
        private final StringProperty value = new SimpleStringProperty(this, "value", "");
        private final boolean declared;
        private final String declaredDefault;

        private ArgRow(String name, String value, boolean declared, String declaredDefault) {
            this.name.set(name);
            this.value.set(value);
            this.declared = declared;
            this.declaredDefault = declaredDefault;
        }

        public StringProperty nameProperty() {
            return name;
        }

        public StringProperty valueProperty() {
            return value;
        }

        public boolean declared() {
            return declared;
        }

        /** The ARG's default in the Dockerfile; null when it has none or the row was added by hand. */
        public String declaredDefault() {
            return declaredDefault;
        }

        /** Whether the build should be given this value: added rows with a name, declared ones the user changed. */
        boolean sent() {
            String v = value.get() == null ? "" : value.get();
            if (!declared) {
                return !name.get().isBlank();
            }
            return declaredDefault == null ? !v.isEmpty() : !v.equals(declaredDefault);
        }
    }

    /**
     * What reading the Dockerfile found. Every file-system check of the form happens while scanning, on
     * the background thread; the checks on the UI thread ({@link #validate()}, {@link #request()}) only
     * look at the last scan.
     */
    sealed interface Scan {
        /** {@code dockerfile}: the file read, relative to the context (the default name found there, when none was typed). */
        record Parsed(String dockerfile, List<String> stages, List<ArgDecl> args) implements Scan {}

        /** The context names no folder. */
        record NoFolder() implements Scan {}

        record Failed(Text problem) implements Scan {}

        /** Nothing to read yet (the context itself has a problem). */
        record Nothing() implements Scan {}
    }

    /** Larger than any real Dockerfile: a file this big dropped by mistake is not read into memory. */
    static final long MAX_DOCKERFILE_BYTES = 4L * 1024 * 1024;

    private static final Pattern ARG_NAME_BAD = Pattern.compile(".*[=\\s].*");

    private final UiExecutor executor;
    private final StringProperty contextDir = new SimpleStringProperty(this, "contextDir", "");
    private final StringProperty dockerfile = new SimpleStringProperty(this, "dockerfile", "");
    private final ObservableList<TagRow> tags = FXCollections.observableArrayList(t -> new javafx.beans.Observable[] {t.text});
    private final ObservableList<ArgRow> buildArgs = FXCollections.observableArrayList(
            a -> new javafx.beans.Observable[] {a.name, a.value});
    private final ObservableList<String> stages = FXCollections.observableArrayList();
    private final StringProperty target = new SimpleStringProperty(this, "target", "");
    private final BooleanProperty noCache = new SimpleBooleanProperty(this, "noCache", false);
    private final BooleanProperty pull = new SimpleBooleanProperty(this, "pull", false);
    private final ReadOnlyObjectWrapper<List<Problem>> problems = new ReadOnlyObjectWrapper<>(this, "problems", List.of());
    private final ReadOnlyBooleanWrapper parsing = new ReadOnlyBooleanWrapper(this, "parsing", false);
    private Scan scan = new Scan.Nothing();
    private long generation;
    private CompletableFuture<Void> settled = CompletableFuture.completedFuture(null);

    /** {@code executor} reads and parses the Dockerfile in the background and hands the result back on the UI thread. */
    public BuildDialogModel(UiExecutor executor) {
        this.executor = executor;
        contextDir.addListener((obs, old, now) -> reload());
        dockerfile.addListener((obs, old, now) -> reload());
        tags.addListener((ListChangeListener<TagRow>) c -> revalidate());
        buildArgs.addListener((ListChangeListener<ArgRow>) c -> revalidate());
        target.addListener((obs, old, now) -> revalidate());
        tags.add(new TagRow(""));
        reload();
    }

    /** Fills the form for a dropped or chosen Dockerfile: {@code dockerfile} relative to {@code contextDir}. */
    public void prefill(Path contextDir, String dockerfile) {
        // the Dockerfile first, so the one reload the context triggers reads the right file
        this.dockerfile.set(dockerfile == null ? "" : dockerfile);
        this.contextDir.set(contextDir == null ? "" : contextDir.toString());
    }

    // ---- reading the Dockerfile -------------------------------------------------------------------

    /**
     * The Dockerfile's name as the request will send it: as typed, or the default the context holds now
     * (this looks in the folder: not for the UI thread, where {@link #request()} has the last scan's name).
     */
    public String effectiveDockerfile() {
        String typed = dockerfile.get() == null ? "" : dockerfile.get().strip();
        if (!typed.isEmpty()) {
            return typed;
        }
        Path ctx = contextPath();
        String found = ctx == null ? null : DockerfileDrop.defaultDockerfile(ctx);
        return found == null ? DockerfileDrop.DEFAULT_NAMES.getFirst() : found;
    }

    /** Reads the Dockerfile again in the background (the fields call this on every change). */
    public CompletableFuture<Void> reload() {
        long gen = ++generation;
        CompletableFuture<Void> done = new CompletableFuture<>();
        settled = done;
        String ctxText = contextDir.get();
        String fileText = dockerfile.get();
        parsing.set(true);
        revalidate();
        executor.runInBackground(() -> {
            Scan result = read(ctxText, fileText);
            executor.runOnUi(() -> {
                if (gen == generation) {
                    apply(result);
                    parsing.set(false);
                    revalidate();
                }
                done.complete(null);
            });
        });
        return done;
    }

    /** Completes once the latest change's Dockerfile has been read and applied. */
    public CompletableFuture<Void> settled() {
        return settled;
    }

    /** Reads and parses; runs on a background thread. */
    static Scan read(String ctxText, String fileText) {
        Path ctx = path(ctxText);
        if (ctx == null || !ctx.isAbsolute()) {
            return new Scan.Nothing();
        }
        if (!Files.isDirectory(ctx)) {
            return new Scan.NoFolder();
        }
        Object located = locate(ctx, fileText);
        if (located instanceof Text problem) {
            return new Scan.Failed(problem);
        }
        Path file = (Path) located;
        String name = ctx.relativize(file).toString();
        if (!Files.isRegularFile(file)) {
            return new Scan.Failed(Text.of("builds.dialog.validation.dockerfile.missing", name, ctx.toString()));
        }
        Dockerfile parsed;
        try {
            if (Files.size(file) > MAX_DOCKERFILE_BYTES) {
                return new Scan.Failed(Text.of("builds.dialog.validation.dockerfile.tooLarge", name, MAX_DOCKERFILE_BYTES / (1024 * 1024)));
            }
            parsed = DockerfileParser.parse(Files.readAllBytes(file), name);
        } catch (IOException e) {
            return new Scan.Failed(Text.of("builds.dialog.validation.dockerfile.unreadable", name, String.valueOf(e.getMessage())));
        } catch (RuntimeException e) {
            return DockerfileError.of(e)
                    .<Scan>map(err -> new Scan.Failed(Text.of("builds.dialog.validation.dockerfile.parse",
                            err.position().file(), err.position().line(), err.position().column(), err.problem())))
                    .orElseGet(() -> new Scan.Failed(Text.of("builds.dialog.validation.dockerfile.unreadable", name,
                            String.valueOf(e.getMessage()))));
        }
        List<String> named = new ArrayList<>();
        for (Stage s : parsed.stages()) {
            if (s.name() != null) {
                named.add(s.name());
            }
        }
        List<ArgDecl> args = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        List<Instruction.Arg> instructions = new ArrayList<>(parsed.globalArgs());
        for (Stage s : parsed.stages()) {
            for (Instruction i : s.instructions()) {
                if (i instanceof Instruction.Arg a) {
                    instructions.add(a);
                }
            }
        }
        for (Instruction.Arg a : instructions) {
            for (ArgDecl d : a.args()) {
                if (seen.add(d.name())) {
                    args.add(d);
                }
            }
        }
        return new Scan.Parsed(name, named, args);
    }

    /** The Dockerfile's path inside {@code ctx}, or the problem (outside the context, not a path). */
    private static Object locate(Path ctx, String fileText) {
        String typed = fileText == null ? "" : fileText.strip();
        if (typed.isEmpty()) {
            String found = DockerfileDrop.defaultDockerfile(ctx);
            return ctx.resolve(found == null ? DockerfileDrop.DEFAULT_NAMES.getFirst() : found);
        }
        Path p = path(typed);
        if (p == null) {
            return Text.of("builds.dialog.validation.dockerfile.path", typed);
        }
        Path file = ctx.resolve(p).normalize();
        if (!file.startsWith(ctx) || file.equals(ctx)) {
            return Text.of("builds.dialog.validation.dockerfile.outside", typed, ctx.toString());
        }
        return file;
    }

    private void apply(Scan result) {
        scan = result;
        if (!(result instanceof Scan.Parsed parsed)) {
            return;
        }
        stages.setAll(parsed.stages());
        if (!target.get().isEmpty() && !parsed.stages().contains(target.get())) {
            target.set("");
        }
        // declared rows follow the Dockerfile; a value the user changed, and rows added by hand, stay
        Map<String, ArgRow> old = new LinkedHashMap<>();
        for (ArgRow r : buildArgs) {
            if (r.declared) {
                old.put(r.name.get(), r);
            }
        }
        List<ArgRow> next = new ArrayList<>();
        for (ArgDecl d : parsed.args()) {
            ArgRow was = old.get(d.name());
            String value = was != null && was.sent() ? was.value.get() : (d.defaultValue() == null ? "" : d.defaultValue());
            next.add(new ArgRow(d.name(), value, true, d.defaultValue()));
        }
        Set<String> declaredNames = new HashSet<>();
        parsed.args().forEach(d -> declaredNames.add(d.name()));
        for (ArgRow r : buildArgs) {
            if (!r.declared) {
                next.add(r);
            } else if (!declaredNames.contains(r.name.get()) && r.sent()) {
                // no longer declared, but the user gave it a value: keep it as an added row
                next.add(new ArgRow(r.name.get(), r.value.get(), false, null));
            }
        }
        buildArgs.setAll(next);
    }

    // ---- rows -----------------------------------------------------------------------------------

    public TagRow addTag(String text) {
        TagRow row = new TagRow(text);
        tags.add(row);
        return row;
    }

    public ArgRow addBuildArg(String name, String value) {
        ArgRow row = new ArgRow(name, value, false, null);
        buildArgs.add(row);
        return row;
    }

    // ---- checks ---------------------------------------------------------------------------------

    /** Recomputes {@link #problemsProperty()}. */
    private void revalidate() {
        problems.set(validate());
    }

    /** Every problem of the form as it stands, in the order of the fields. */
    public List<Problem> validate() {
        List<Problem> out = new ArrayList<>();
        Path ctx = contextPath();
        String ctxText = contextDir.get() == null ? "" : contextDir.get().strip();
        if (ctxText.isEmpty()) {
            out.add(new Problem(Field.CONTEXT, Text.of("builds.dialog.validation.context.empty")));
        } else if (ctx == null || !ctx.isAbsolute()) {
            out.add(new Problem(Field.CONTEXT, Text.of("builds.dialog.validation.context.relative", ctxText)));
        } else if (scan instanceof Scan.NoFolder && !parsing.get()) {
            out.add(new Problem(Field.CONTEXT, Text.of("builds.dialog.validation.context.missing", ctxText)));
        } else if (scan instanceof Scan.Failed f && !parsing.get()) {
            out.add(new Problem(Field.DOCKERFILE, f.problem()));
        }
        for (int i = 0; i < tags.size(); i++) {
            Text t = tagProblem(tags.get(i).text.get());
            if (t != null) {
                out.add(new Problem(Field.TAGS, t));
            }
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < buildArgs.size(); i++) {
            ArgRow r = buildArgs.get(i);
            String n = r.name.get() == null ? "" : r.name.get().strip();
            if (n.isEmpty()) {
                if (!r.value.get().isEmpty()) {
                    out.add(new Problem(Field.BUILD_ARGS, Text.of("builds.dialog.validation.arg.noName", i + 1)));
                }
            } else if (ARG_NAME_BAD.matcher(n).matches()) {
                out.add(new Problem(Field.BUILD_ARGS, Text.of("builds.dialog.validation.arg.badName", i + 1, n)));
            } else if (!names.add(n)) {
                out.add(new Problem(Field.BUILD_ARGS, Text.of("builds.dialog.validation.arg.twice", n)));
            }
        }
        String t = target.get() == null ? "" : target.get();
        if (!t.isEmpty() && scan instanceof Scan.Parsed && !stages.contains(t)) {
            out.add(new Problem(Field.TARGET, Text.of("builds.dialog.validation.target", t)));
        }
        return List.copyOf(out);
    }

    /** Why {@code text} cannot name the built image (Docker's reference rules, no digest), or null; blank rows are skipped. */
    static Text tagProblem(String text) {
        String t = text == null ? "" : text.strip();
        if (t.isEmpty()) {
            return null;
        }
        if (t.chars().anyMatch(Character::isWhitespace)) {
            return Text.of("builds.dialog.validation.tag.spaces", t);
        }
        Reference ref;
        try {
            ref = Reference.parse(t);
        } catch (RuntimeException e) {
            return Text.of("builds.dialog.validation.tag", t, String.valueOf(e.getMessage()));
        }
        if (ref.digest() != null) {
            return Text.of("builds.dialog.validation.tag.digest", t);
        }
        return null;
    }

    /** Whether the form can be built: no problem and the Dockerfile read. */
    public boolean ready() {
        return problems.get().isEmpty() && !parsing.get() && scan instanceof Scan.Parsed;
    }

    /**
     * The form as a request.
     *
     * @throws IllegalStateException when the form still has a problem
     */
    public BuildRequest request() {
        if (!ready()) {
            throw new IllegalStateException("the build form is not ready: " + problems.get());
        }
        Path ctx = contextPath();
        // the scan located the file on the background thread, for the context and Dockerfile as they stand
        String relative = ((Scan.Parsed) scan).dockerfile().replace(java.io.File.separatorChar, '/');
        Set<String> tagList = new LinkedHashSet<>();
        for (TagRow r : tags) {
            if (!r.text.get().isBlank()) {
                tagList.add(r.text.get().strip());
            }
        }
        Map<String, String> args = new LinkedHashMap<>();
        for (ArgRow r : buildArgs) {
            if (r.sent()) {
                args.put(r.name.get().strip(), r.value.get());
            }
        }
        String t = target.get() == null || target.get().isEmpty() ? null : target.get();
        return new BuildRequest(ctx, relative, List.copyOf(tagList), java.util.Collections.unmodifiableMap(args), t, noCache.get(), pull.get());
    }

    private Path contextPath() {
        Path p = path(contextDir.get());
        return p == null || !p.isAbsolute() ? p : p.normalize();
    }

    private static Path path(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            Path p = Path.of(text.strip());
            return p.isAbsolute() ? p.normalize() : p;
        } catch (InvalidPathException e) {
            return null;
        }
    }

    // ---- state ----------------------------------------------------------------------------------

    public StringProperty contextDirProperty() {
        return contextDir;
    }

    /** The Dockerfile relative to the context; empty for the default ({@link #effectiveDockerfile()}). */
    public StringProperty dockerfileProperty() {
        return dockerfile;
    }

    public ObservableList<TagRow> tags() {
        return tags;
    }

    public ObservableList<ArgRow> buildArgs() {
        return buildArgs;
    }

    /** The Dockerfile's named stages, in order. */
    public ObservableList<String> stages() {
        return stages;
    }

    /** The stage to stop at; empty for the last one. */
    public StringProperty targetProperty() {
        return target;
    }

    public BooleanProperty noCacheProperty() {
        return noCache;
    }

    public BooleanProperty pullProperty() {
        return pull;
    }

    /** Every problem of the form now (the Dockerfile's once it has been read). */
    public ReadOnlyObjectProperty<List<Problem>> problemsProperty() {
        return problems.getReadOnlyProperty();
    }

    /** True while the Dockerfile is being read. */
    public ReadOnlyBooleanProperty parsingProperty() {
        return parsing.getReadOnlyProperty();
    }
}
