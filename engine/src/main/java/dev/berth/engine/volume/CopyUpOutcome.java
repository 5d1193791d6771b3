package dev.berth.engine.volume;

/** What the first-use copy of an image's content into a volume did. */
public sealed interface CopyUpOutcome {

    /** The image's content at the mount path was copied: {@code entries} files, directories and links. */
    record Copied(long entries) implements CopyUpOutcome {}

    /** The volume was filled before (by an earlier copy, or it already had data): nothing copied. */
    record AlreadyPopulated() implements CopyUpOutcome {}

    /** The image has no directory at the mount path: nothing to copy. */
    record NothingInImage(String path) implements CopyUpOutcome {}

    /** The mount asked for {@code nocopy}. */
    record SkippedNoCopy() implements CopyUpOutcome {}
}
