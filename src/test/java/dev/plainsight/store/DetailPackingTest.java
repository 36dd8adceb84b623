package dev.plainsight.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Packed details come back byte for byte, plain ones pass through, damaged ones are refused. */
class DetailPackingTest {
  @Test
  void theDictionariesAreTheOnesReleased() {
    // rows on disk name these checksums: a changed dictionary would make them all unreadable
    assertEquals(2044157871L, Integer.toUnsignedLong(DetailPacking.FLOWS.checksum()));
    assertEquals(3444629224L, Integer.toUnsignedLong(DetailPacking.CONNECTIONS.checksum()));
  }

  @Test
  void aConnectionComesBackWhole() throws Exception {
    byte[] json = FlowCodec.JSON.writeValueAsBytes(java.util.Map.of("handling", "INTERCEPTED",
        "clientSide", java.util.Map.of("ladder", java.util.List.of())));
    byte[] packed = DetailPacking.CONNECTIONS.pack(json);
    assertArrayEquals(json, DetailPacking.unpack(packed));
  }

  @Test
  void aFlowComesBackWholeAndMuchSmaller() {
    byte[] json = new String(DetailPacking.unpack(FlowCodec.encode(Flows.fullHttps("s"))),
        StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8);
    byte[] packed = DetailPacking.FLOWS.pack(json);
    assertNotEquals('{', packed[0]);
    assertArrayEquals(json, DetailPacking.unpack(packed));
    assertTrue(packed.length * 2 < json.length, packed.length + " of " + json.length);
  }

  @Test
  void plainJsonOfAnOlderRowPassesThrough() {
    byte[] plain = "{\"kind\":\"HTTP\"}".getBytes(StandardCharsets.UTF_8);
    assertArrayEquals(plain, DetailPacking.unpack(plain));
  }

  @Test
  void largeAndEmptyRecordsRoundTrip() {
    byte[] large = ("{\"notes\":\"" + "abc".repeat(100_000) + "\"}").getBytes(StandardCharsets.UTF_8);
    assertArrayEquals(large, DetailPacking.unpack(DetailPacking.FLOWS.pack(large)));
    assertArrayEquals(new byte[0], DetailPacking.unpack(DetailPacking.FLOWS.pack(new byte[0])));
  }

  @Test
  void aCutRecordIsAClearError() {
    byte[] packed = DetailPacking.FLOWS.pack("{\"kind\":\"HTTP\",\"url\":\"http://a/\"}"
        .getBytes(StandardCharsets.UTF_8));
    StoreException e = assertThrows(StoreException.class,
        () -> DetailPacking.unpack(Arrays.copyOf(packed, packed.length - 6)));
    assertTrue(e.getMessage().contains("unreadable"), e.getMessage());
  }

  @Test
  void aRecordPackedInAnUnknownWayIsAClearError() {
    byte[] packed = DetailPacking.FLOWS.pack("{\"kind\":\"HTTP\"}".getBytes(StandardCharsets.UTF_8));
    packed[0] = 9;
    StoreException e = assertThrows(StoreException.class, () -> DetailPacking.unpack(packed));
    assertTrue(e.getMessage().contains("unknown way"), e.getMessage());
  }

  @Test
  void aRecordUnpackedWithTheWrongDictionaryIsNotTakenForTheRightOne() {
    byte[] json = FlowCodec.encode(Flows.fullHttps("s"));
    byte[] packed = json.clone();
    packed[0] = 2; // claims the connections' dictionary
    assertThrows(StoreException.class, () -> DetailPacking.unpack(packed));
  }
}
