package dev.berth.app.builds;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.app.backend.ApiClient;
import dev.berth.engine.build.context.ContextArchive;
import dev.berth.engine.errors.EngineException;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okio.BufferedSink;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code docker build} over the Docker API: the context folder is written as a tar while it is sent
 * (the engine's {@link ContextArchive}: {@code .dockerignore} honoured, the Dockerfile and
 * {@code .dockerignore} always sent) as the body of {@code POST /build}, and the classic builder's JSON
 * lines come back as {@link BuildEvent}s. Blocking: call on a background platform thread; interrupting
 * it closes the call, and the engine cancels a build whose client went away.
 */
public final class BuildsClient {

    private static final MediaType TAR = MediaType.get("application/x-tar");
    /** How the classic builder marks a RUN's standard error in its stream (dockerd does the same). */
    private static final String STDERR_ON = "\u001b[91m";
    private static final String STDERR_OFF = "\u001b[0m";
    private static final Pattern STEP = Pattern.compile("^Step (\\d+)/(\\d+) : ?(.*)$");
    private static final Pattern STEP_IMAGE = Pattern.compile("^ ---> ([0-9a-f]{12,64})$");

    private final ApiClient api;

    public BuildsClient(ApiClient api) {
        this.api = api;
    }

    /**
     * Builds {@code request}, passing each event to {@code events} on this thread as its line arrives.
     * A build that fails while it runs ends with a {@link BuildEvent.Failed}; one the engine refuses
     * before its first step (a malformed Dockerfile, a bad tag) throws.
     *
     * @throws EngineException.NotFound when the context folder or the Dockerfile is missing
     * @throws EngineException          the engine's refusal, or {@code Unavailable} when it cannot be reached
     * @throws InterruptedException     when this thread is interrupted (the call is closed)
     */
    public void build(BuildRequest request, Consumer<BuildEvent> events) throws InterruptedException {
        Path dir = request.contextDir();
        if (!Files.isDirectory(dir)) {
            throw new EngineException.NotFound("the build context " + dir + " is not a folder");
        }
        Path dockerfile = request.dockerfilePath();
        if (!Files.isRegularFile(dockerfile)) {
            throw new EngineException.NotFound("no Dockerfile at " + dockerfile);
        }
        if (!dockerfile.normalize().startsWith(dir.normalize())) {
            throw new EngineException.InvalidArgument("the Dockerfile " + request.dockerfile()
                    + " is outside the build context " + dir);
        }
        RequestBody body = new RequestBody() {
            @Override
            public MediaType contentType() {
                return TAR;
            }

            @Override
            public void writeTo(BufferedSink sink) {
                ContextArchive.write(dir, request.dockerfile(), sink.outputStream());
            }
        };
        Request http = new Request.Builder().url(url(request)).post(body).build();
        LineReader reader = new LineReader(events);
        api.streamJsonLines(http, "POST /build", reader::accept);
        reader.flush();
    }

    /** {@code POST /build} with {@code docker build}'s query for {@code request}. */
    HttpUrl url(BuildRequest request) {
        HttpUrl.Builder u = api.url("build");
        for (String t : request.tags()) {
            u.addQueryParameter("t", t);
        }
        u.addQueryParameter("dockerfile", request.dockerfile());
        if (!request.buildArgs().isEmpty()) {
            ObjectNode args = ApiClient.JSON.createObjectNode();
            request.buildArgs().forEach(args::put);
            u.addQueryParameter("buildargs", args.toString());
        }
        if (request.hasTarget()) {
            u.addQueryParameter("target", request.target());
        }
        if (request.noCache()) {
            u.addQueryParameter("nocache", "1");
        }
        if (request.pull()) {
            u.addQueryParameter("pull", "1");
        }
        u.addQueryParameter("rm", "1");
        u.addQueryParameter("forcerm", "1"); // a failed step's container goes too: the app leaves nothing behind
        return u.build();
    }

    /**
     * Turns the stream's JSON lines into events. {@code stream} text may carry several lines or part of
     * one; a partial line waits for the rest.
     */
    static final class LineReader {
        private final Consumer<BuildEvent> events;
        private final StringBuilder pending = new StringBuilder();
        private boolean inStep;
        private boolean red;      // inside the classic builder's ESC[91m ... ESC[0m: a RUN's standard error
        private boolean lineRed;  // some of the pending line was printed on standard error

        LineReader(Consumer<BuildEvent> events) {
            this.events = events;
        }

        void accept(JsonNode node) {
            JsonNode detail = node.get("errorDetail");
            if (node.hasNonNull("error") || (detail != null && detail.hasNonNull("message"))) {
                flush();
                String message = detail != null && detail.hasNonNull("message") ? detail.get("message").asText()
                        : ApiClient.text(node, "error");
                Integer code = detail != null && detail.hasNonNull("code") && detail.get("code").asInt() != 0
                        ? detail.get("code").asInt() : null;
                events.accept(new BuildEvent.Failed(message, code));
                return;
            }
            JsonNode aux = node.get("aux");
            if (aux != null && aux.hasNonNull("ID")) {
                events.accept(new BuildEvent.Built(aux.get("ID").asText()));
            }
            if (node.hasNonNull("stream")) {
                append(node.get("stream").asText());
            } else if (node.hasNonNull("status")) {
                // a pull's progress during FROM
                String progress = ApiClient.text(node, "progress");
                String id = ApiClient.text(node, "id");
                line((id.isEmpty() ? "" : id + ": ") + ApiClient.text(node, "status")
                        + (progress.isEmpty() ? "" : " " + progress));
            }
        }

        /** Splits stream text into lines, taking out the colour codes that mark standard error. */
        private void append(String text) {
            int i = 0;
            while (i < text.length()) {
                if (text.startsWith(STDERR_ON, i)) {
                    red = true;
                    i += STDERR_ON.length();
                } else if (text.startsWith(STDERR_OFF, i)) {
                    red = false;
                    i += STDERR_OFF.length();
                } else {
                    char c = text.charAt(i++);
                    if (c == '\n') {
                        int end = pending.length();
                        String line = end > 0 && pending.charAt(end - 1) == '\r' ? pending.substring(0, end - 1) : pending.toString();
                        boolean stderr = lineRed;
                        pending.setLength(0);
                        lineRed = false;
                        line(line, stderr);
                    } else {
                        pending.append(c);
                        lineRed |= red;
                    }
                }
            }
        }

        void flush() {
            if (!pending.isEmpty()) {
                String rest = pending.toString();
                boolean stderr = lineRed;
                pending.setLength(0);
                lineRed = false;
                line(rest, stderr);
            }
        }

        private void line(String line) {
            line(line, false);
        }

        private void line(String line, boolean stderr) {
            Matcher step = STEP.matcher(line);
            if (step.matches()) {
                inStep = true;
                events.accept(new BuildEvent.StepStarted(Integer.parseInt(step.group(1)), Integer.parseInt(step.group(2)),
                        step.group(3)));
                return;
            }
            if (line.equals(" ---> Using cache")) {
                events.accept(new BuildEvent.UsingCache());
                return;
            }
            Matcher image = STEP_IMAGE.matcher(line);
            if (image.matches()) {
                events.accept(new BuildEvent.StepImage(image.group(1)));
                return;
            }
            if (line.startsWith("Successfully tagged ")) {
                events.accept(new BuildEvent.Tagged(line.substring("Successfully tagged ".length()).strip()));
                return;
            }
            if (!inStep || line.startsWith("Successfully built ") || line.startsWith(" ---> ")
                    || line.startsWith("[Warning]") || line.startsWith("Removing intermediate container ")) {
                events.accept(new BuildEvent.Note(line));
                return;
            }
            events.accept(new BuildEvent.Output(line, stderr));
        }
    }
}
