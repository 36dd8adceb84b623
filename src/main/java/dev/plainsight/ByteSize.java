package dev.plainsight;

import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Parses sizes such as "500MB", "2GB", "64k" or plain bytes (binary multiples). */
final class ByteSize implements ITypeConverter<Long> {
  @Override
  public Long convert(String text) {
    String value = text.trim().toUpperCase(Locale.ROOT).replaceAll("I?B$", "");
    long unit = 1;
    if (!value.isEmpty() && "KMGT".indexOf(value.charAt(value.length() - 1)) >= 0) {
      unit = 1L << (10 * ("KMGT".indexOf(value.charAt(value.length() - 1)) + 1));
      value = value.substring(0, value.length() - 1);
    }
    try {
      long number = Long.parseLong(value.trim());
      if (number < 0) {
        throw new TypeConversionException("a size cannot be negative: " + text);
      }
      return number * unit;
    } catch (NumberFormatException e) {
      throw new TypeConversionException("not a size: " + text + " (try 500MB or 2GB)");
    }
  }
}
