package dev.plainsight.store;

import dev.plainsight.flow.Header;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * Writer-side access to the bodies table: each distinct body (by SHA-256 of its bytes) is stored
 * once with a reference count; its text, if it has any, is indexed once. {@link #put} adds a
 * reference, {@link #release} drops references and deletes bodies nobody refers to any more.
 * Used only on the writer thread, inside its transaction.
 */
final class BodyTable implements AutoCloseable {
  private final MessageDigest sha256;
  private final boolean fullText;
  private final int maxIndexedChars;
  private final PreparedStatement find;
  private final PreparedStatement addRef;
  private final PreparedStatement insert;
  private final PreparedStatement index;
  private final PreparedStatement dropRefs;
  private final PreparedStatement deleteUnused;
  private final PreparedStatement unindex;

  BodyTable(Connection c, boolean fullText, int maxIndexedChars) throws SQLException {
    try {
      this.sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-256", e);
    }
    this.fullText = fullText;
    this.maxIndexedChars = maxIndexedChars;
    find = c.prepareStatement("SELECT id FROM bodies WHERE sha256 = ?");
    addRef = c.prepareStatement("UPDATE bodies SET refs = refs + 1 WHERE id = ?");
    insert = c.prepareStatement(
        "INSERT INTO bodies(sha256, refs, size, data) VALUES (?, 1, ?, ?) RETURNING id");
    dropRefs = c.prepareStatement("UPDATE bodies SET refs = refs - ? WHERE id = ?");
    deleteUnused = c.prepareStatement("DELETE FROM bodies WHERE id = ? AND refs <= 0");
    index = fullText
        ? c.prepareStatement("INSERT INTO body_text(rowid, text) VALUES (?, ?)") : null;
    unindex = fullText ? c.prepareStatement("DELETE FROM body_text WHERE rowid = ?") : null;
  }

  /** The id of the stored body, adding one reference; null for an empty body. */
  Long put(byte[] bytes, List<Header> headers) throws SQLException {
    return bytes.length == 0 ? null : put(bytes, sha256.digest(bytes), headers);
  }

  /** Like {@link #put(byte[], List)} with the bytes' SHA-256 already known (null: empty). */
  Long put(byte[] bytes, byte[] digest, List<Header> headers) throws SQLException {
    if (bytes.length == 0) {
      return null;
    }
    find.setBytes(1, digest);
    try (ResultSet rs = find.executeQuery()) {
      if (rs.next()) {
        long id = rs.getLong(1);
        addRef.setLong(1, id);
        addRef.executeUpdate();
        return id;
      }
    }
    long id;
    insert.setBytes(1, digest);
    insert.setLong(2, bytes.length);
    insert.setBytes(3, bytes);
    try (ResultSet rs = insert.executeQuery()) {
      rs.next();
      id = rs.getLong(1);
    }
    if (fullText) {
      String text = Texts.ofBody(bytes, headers, maxIndexedChars);
      if (text != null) {
        index.setLong(1, id);
        index.setString(2, text);
        index.executeUpdate();
      }
    }
    return id;
  }

  /** Drops {@code count} references per body id; returns how many bodies were deleted. */
  int release(Map<Long, Integer> references) throws SQLException {
    int deleted = 0;
    for (Map.Entry<Long, Integer> entry : references.entrySet()) {
      dropRefs.setInt(1, entry.getValue());
      dropRefs.setLong(2, entry.getKey());
      dropRefs.executeUpdate();
      deleteUnused.setLong(1, entry.getKey());
      if (deleteUnused.executeUpdate() > 0) {
        deleted++;
        if (fullText) {
          unindex.setLong(1, entry.getKey());
          unindex.executeUpdate();
        }
      }
    }
    return deleted;
  }

  @Override
  public void close() throws SQLException {
    for (PreparedStatement s : new PreparedStatement[] {
        find, addRef, insert, index, dropRefs, deleteUnused, unindex}) {
      if (s != null) {
        s.close();
      }
    }
  }
}
