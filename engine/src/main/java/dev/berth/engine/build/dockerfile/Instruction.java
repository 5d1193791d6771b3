package dev.berth.engine.build.dockerfile;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * One Dockerfile instruction. Every record carries its {@link Position} (where its keyword is) and
 * its {@code text}: the instruction as written on one line (continuations joined, heredoc bodies left
 * out), which is what Docker prints as {@code Step n/N : text}.
 *
 * <p>From the parser, words are as written: quotes, escapes and {@code $VARIABLES} still in them.
 * {@link StageScope#apply(Instruction)} returns the same record with the words Docker expands
 * processed (quotes removed, variables replaced); words Docker leaves to the shell (RUN, CMD,
 * ENTRYPOINT, HEALTHCHECK, SHELL) are never touched.
 */
public sealed interface Instruction {

    Position position();

    String text();

    /** The keyword in upper case, e.g. {@code COPY}. */
    default String keyword() {
        return getClass().getSimpleName().toUpperCase(Locale.ROOT);
    }

    /** {@code FROM [--platform=P] image [AS name]}; {@code stageName} is lower case, or null. */
    record From(Position position, String text, String image, String stageName, String platform) implements Instruction {
        /** Whether the base is the empty image. */
        public boolean scratch() {
            return image.equalsIgnoreCase("scratch");
        }
    }

    /** {@code RUN}: the command, its heredocs, and the flags kept as text. */
    record Run(Position position, String text, CommandLine command, List<Heredoc> heredocs, List<String> mounts,
               String network, String security) implements Instruction {
        public Run {
            heredocs = List.copyOf(heredocs);
            mounts = List.copyOf(mounts);
        }
    }

    record Cmd(Position position, String text, CommandLine command) implements Instruction {}

    record Entrypoint(Position position, String text, CommandLine command) implements Instruction {}

    record Env(Position position, String text, List<KeyValue> pairs) implements Instruction {
        public Env {
            pairs = List.copyOf(pairs);
        }
    }

    record Arg(Position position, String text, List<ArgDecl> args) implements Instruction {
        public Arg {
            args = List.copyOf(args);
        }
    }

    record Label(Position position, String text, List<KeyValue> labels) implements Instruction {
        public Label {
            labels = List.copyOf(labels);
        }
    }

    record Maintainer(Position position, String text, String name) implements Instruction {}

    /** {@code EXPOSE}: after expansion, each port is normalised to {@code PORT[-PORT]/proto}. */
    record Expose(Position position, String text, List<String> ports) implements Instruction {
        public Expose {
            ports = List.copyOf(ports);
        }
    }

    /**
     * {@code ADD}: context paths or URLs in {@code sources}, inline files in {@code heredocs}; {@code chown},
     * {@code chmod} and {@code checksum} are null when not given.
     */
    record Add(Position position, String text, List<String> sources, String destination, List<Heredoc> heredocs,
               String chown, String chmod, boolean link, String checksum, boolean keepGitDir,
               List<String> excludes) implements Instruction {
        public Add {
            sources = List.copyOf(sources);
            heredocs = List.copyOf(heredocs);
            excludes = List.copyOf(excludes);
        }
    }

    /** {@code COPY}: {@code from} (a stage name, stage index or image) is null for the build context. */
    record Copy(Position position, String text, List<String> sources, String destination, List<Heredoc> heredocs,
                String from, String chown, String chmod, boolean link, boolean parents,
                List<String> excludes) implements Instruction {
        public Copy {
            sources = List.copyOf(sources);
            heredocs = List.copyOf(heredocs);
            excludes = List.copyOf(excludes);
        }
    }

    record Workdir(Position position, String text, String path) implements Instruction {}

    record User(Position position, String text, String user) implements Instruction {}

    record Volume(Position position, String text, List<String> paths) implements Instruction {
        public Volume {
            paths = List.copyOf(paths);
        }
    }

    record StopSignal(Position position, String text, String signal) implements Instruction {
        @Override
        public String keyword() {
            return "STOPSIGNAL";
        }
    }

    /**
     * {@code HEALTHCHECK NONE} ({@code test == null}) or {@code HEALTHCHECK [options] CMD command}; an
     * option not given is null (the image keeps Docker's default).
     */
    record Healthcheck(Position position, String text, CommandLine test, Duration interval, Duration timeout,
                       Duration startPeriod, Duration startInterval, Integer retries) implements Instruction {
        public boolean none() {
            return test == null;
        }
    }

    record Shell(Position position, String text, List<String> shell) implements Instruction {
        public Shell {
            shell = List.copyOf(shell);
        }
    }

    /** {@code ONBUILD trigger}: the trigger is parsed (and checked) now, stored in the image as its text. */
    record OnBuild(Position position, String text, Instruction trigger) implements Instruction {
        @Override
        public String keyword() {
            return "ONBUILD";
        }
    }
}
