package dev.plainsight;

import dev.plainsight.store.StoreLimit;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;

/** {@code --max-data-size}: a size as {@link ByteSize} reads it, or "auto" ({@link StoreLimit#AUTO}). */
final class DataSizeLimit implements ITypeConverter<Long> {
  @Override
  public Long convert(String text) {
    if (text.trim().toLowerCase(Locale.ROOT).equals("auto")) {
      return StoreLimit.AUTO;
    }
    return new ByteSize().convert(text);
  }
}
