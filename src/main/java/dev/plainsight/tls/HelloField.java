package dev.plainsight.tls;

import java.util.List;

/**
 * One field of a hello's bytes: a leaf ({@code children} empty) covering {@code length} bytes from
 * {@code offset} of the record, with a {@code name}, a one-line {@code value} and, for the fields a
 * beginner asks about, an {@code about} line (else null); or a group whose children tile its range.
 * The leaves of a tree from {@link HelloAnatomy} tile the whole record: no gap, no overlap.
 */
public record HelloField(
    int offset, int length, String name, String value, String about, List<HelloField> children) {

  public HelloField {
    children = children == null ? List.of() : List.copyOf(children);
  }

  public boolean isLeaf() {
    return children.isEmpty();
  }
}
