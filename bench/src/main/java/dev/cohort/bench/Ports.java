package dev.cohort.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/** Free TCP ports on loopback, for the members of one run. */
final class Ports {
  private Ports() {}

  /** {@code count} distinct ports that were free a moment ago, in ascending order. */
  static List<Integer> free(int count) {
    var sockets = new ArrayList<ServerSocket>();
    try {
      for (int i = 0; i < count; i++) {
        var socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        sockets.add(socket);
      }
      return sockets.stream().map(ServerSocket::getLocalPort).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find free ports on loopback", e);
    } finally {
      for (ServerSocket socket : sockets) {
        try {
          socket.close();
        } catch (IOException ignored) {
          // only probing
        }
      }
    }
  }
}
