package dev.cohort.bench;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** The bytes a node's data takes on disk, while the node runs. */
final class DiskUsage {
  private DiskUsage() {}

  /**
   * The bytes of the files under {@code dir} now, by its subdirectory (partition logs, states, the
   * partition table's store...). Files that RocksDB deletes while they are counted (compaction) are
   * left out.
   */
  static Map<String, Long> bySubdirectory(Path dir) throws IOException {
    var bytes = new TreeMap<String, Long>();
    try (Stream<Path> children = Files.list(dir)) {
      for (Path child : children.toList()) {
        bytes.put(child.getFileName().toString(), treeBytes(child));
      }
    }
    return bytes;
  }

  /** The bytes of the regular files under {@code root}, or of {@code root} itself if it is one. */
  static long treeBytes(Path root) throws IOException {
    long[] total = {0};
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
        total[0] += attributes.isRegularFile() ? attributes.size() : 0;
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException e) {
        return FileVisitResult.CONTINUE; // deleted meanwhile
      }
    });
    return total[0];
  }
}
