package dev.berth.engine.container;

import java.util.List;
import java.util.Set;

/**
 * Which containers {@code docker ps} lists. Every non-empty criterion must match; within one
 * criterion any value may match (as Docker's filters).
 *
 * @param all      include stopped containers (without it: running, paused and restarting only)
 * @param status   Docker status words
 * @param name     substrings of the name
 * @param label    {@code key} or {@code key=value}
 * @param ancestor image names or ids the container was created from
 * @param id       id prefixes
 * @param exited   exit codes (of exited containers)
 */
public record ContainerFilter(boolean all, Set<ContainerStatus> status, List<String> name, List<String> label,
                              List<String> ancestor, List<String> id, List<Integer> exited) {

    public static final ContainerFilter RUNNING = new ContainerFilter(false, null, null, null, null, null, null);
    public static final ContainerFilter ALL = new ContainerFilter(true, null, null, null, null, null, null);

    public ContainerFilter {
        status = status == null ? Set.of() : Set.copyOf(status);
        name = name == null ? List.of() : List.copyOf(name);
        label = label == null ? List.of() : List.copyOf(label);
        ancestor = ancestor == null ? List.of() : List.copyOf(ancestor);
        id = id == null ? List.of() : List.copyOf(id);
        exited = exited == null ? List.of() : List.copyOf(exited);
    }

    public ContainerFilter withStatus(ContainerStatus... s) {
        return new ContainerFilter(all, Set.of(s), name, label, ancestor, id, exited);
    }

    public ContainerFilter withName(String... n) {
        return new ContainerFilter(all, status, List.of(n), label, ancestor, id, exited);
    }

    public ContainerFilter withLabel(String... l) {
        return new ContainerFilter(all, status, name, List.of(l), ancestor, id, exited);
    }

    public ContainerFilter withAncestor(String... a) {
        return new ContainerFilter(all, status, name, label, List.of(a), id, exited);
    }

    public ContainerFilter withId(String... i) {
        return new ContainerFilter(all, status, name, label, ancestor, List.of(i), exited);
    }

    public ContainerFilter withExited(Integer... codes) {
        return new ContainerFilter(all, status, name, label, ancestor, id, List.of(codes));
    }
}
