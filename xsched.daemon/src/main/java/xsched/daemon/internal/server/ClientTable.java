package xsched.daemon.internal.server;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The text of {@code xsched:clients}. */
final class ClientTable {
    private ClientTable() {
    }

    static String of(Path socket, List<ClientView> clients) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"#", "NAME", "PID", "UID", "GID", "QUEUES", "SINCE"});
        for (ClientView c : clients) {
            rows.add(new String[] {Long.toString(c.number()), Printable.of(c.name()), Long.toString(c.pid()), Long.toString(c.uid()),
                Long.toString(c.gid()), Integer.toString(c.queues()), Instant.ofEpochMilli(c.connectedAt()).toString()});
        }
        int[] widths = new int[rows.getFirst().length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder text = new StringBuilder("daemon socket " + socket + ", " + clients.size() + " client(s)\n");
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                text.append(i == 0 ? "" : "  ").append(String.format("%-" + widths[i] + "s", row[i]));
            }
            text.append('\n');
        }
        return text.toString().stripTrailing();
    }
}
