package dev.iasql.functions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.iasql.engine.Cancellation;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's own port for calls, on the loopback address: a database's functions reach it with dblink and send one
 * call per query (see {@code call_direct} in bridge.sql), then read its claim, its progress lines, a tick every
 * {@link #TICK_MILLIS} and its outcome as result sets. One dblink round trip per call, where the queued route crosses a
 * dozen processes (docs/bridge-next.md).
 *
 * <p>It speaks just enough of PostgreSQL's wire protocol (version 3) for libpq: start-up, a cleartext password on the
 * loopback address (dblink lets a non-superuser connect only where a password was asked for), simple queries, rows,
 * errors. The password is a token drawn for one database when this engine takes it over, written to that database's
 * {@code iasql_engine.config} (revoked from the tenant): a connection serves the database its token names, never one
 * its start-up message names, and loses it when this engine stops serving that database.
 *
 * <p>A connection costs a thread while open (a tenant session that called). A call runs on the thread that read it,
 * so a quick call wakes no other thread; one still running after {@link #READER_AFTER_MILLIS} gets a second thread,
 * which reads the line meanwhile. One tenant's long apply thus holds nothing another tenant's call needs. Closing the
 * connection mid-call (the caller's Ctrl-C, its session ending) cancels the call.
 */
final class Wire implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Wire.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();
  /**
   * How often a running call's caller hears from the engine: a dblink wait on PostgreSQL before 17 cannot be
   * interrupted, so Ctrl-C takes effect at the next tick; and how often the call is checked for a lock cycle with its
   * caller's transaction.
   */
  static final long TICK_MILLIS = 250;
  private static final int SSL_REQUEST = 80877103;
  private static final int GSS_REQUEST = 80877104;
  private static final int CANCEL_REQUEST = 80877102;
  private static final int PROTOCOL_3 = 196608;
  private static final int MAX_MESSAGE = 16 * 1024 * 1024;
  private static final int STARTUP_MILLIS = 5_000;
  /** How long a call runs on the thread that read it before another thread reads its line (hears its caller go). */
  static final long READER_AFTER_MILLIS = 50;

  private final ServerSocket server;
  private final Dispatcher dispatcher;
  /** Where lock cycles are looked for: the metadata database (locks are cluster-wide). */
  private final DataSource metadata;
  private final Map<String, Worker> tokens = new ConcurrentHashMap<>();
  private final Map<Worker, String> byWorker = new ConcurrentHashMap<>();
  private final Set<Session> sessions = ConcurrentHashMap.newKeySet();
  private final ExecutorService threads = Executors.newCachedThreadPool(daemons("iasql-wire-"));
  private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(daemons("iasql-tick"));
  /**
   * Gives a call that runs on the thread that read it a reader once it has run {@link #READER_AFTER_MILLIS}: a thread
   * of its own, never held by SQL (the tick's lock-cycle look is), so the caller's Ctrl-C is heard however busy the
   * cluster is. A quick call cancels its turn here before it comes, and wakes nothing.
   */
  private final ScheduledThreadPoolExecutor watcher = new ScheduledThreadPoolExecutor(1, daemons("iasql-wire-watch"));
  private final Thread acceptor;
  private volatile boolean closed;

  private Wire(ServerSocket server, Dispatcher dispatcher, DataSource metadata) {
    this.server = server;
    this.dispatcher = dispatcher;
    this.metadata = metadata;
    this.watcher.setRemoveOnCancelPolicy(true);
    this.acceptor = new Thread(this::accept, "iasql-wire-accept");
    this.acceptor.setDaemon(true);
  }

  /**
   * Listens on a free port of the loopback address. Calls run through {@code dispatcher}, as queued ones do: a few
   * at a time per database, and a database's detach waits for them.
   */
  static Wire open(Dispatcher dispatcher, DataSource metadata) throws IOException {
    Wire wire = new Wire(new ServerSocket(0, 128, InetAddress.getLoopbackAddress()), dispatcher, metadata);
    wire.acceptor.start();
    wire.ticker.scheduleWithFixedDelay(wire::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    return wire;
  }

  int port() {
    return server.getLocalPort();
  }

  /**
   * The conninfo the worker's database's functions connect with: its token, drawn when first asked for since the
   * database was last revoked here, lets its calls in.
   */
  synchronized String conninfo(Worker worker) {
    String token = byWorker.computeIfAbsent(worker, w -> {
      byte[] bytes = new byte[32];
      RANDOM.nextBytes(bytes);
      String drawn = HexFormat.of().formatHex(bytes);
      tokens.put(drawn, w);
      return drawn;
    });
    // Nothing here comes from a user: the address, a number and hex digits.
    return "host=" + server.getInetAddress().getHostAddress() + " port=" + server.getLocalPort()
        + " dbname=iasql user=iasql password=" + token + " connect_timeout=2 sslmode=disable gssencmode=disable";
  }

  /**
   * No new call of the worker's database comes in this way; its connections close, each once its running call (if
   * any) has told its caller the outcome.
   */
  synchronized void revoke(Worker worker) {
    String token = byWorker.remove(worker);
    if (token != null) {
      tokens.remove(token);
    }
    sessions.stream().filter(s -> s.worker == worker).forEach(Session::retire);
  }

  synchronized void revokeAll() {
    tokens.clear();
    byWorker.clear();
    sessions.forEach(Session::retire);
  }

  /**
   * Takes no more calls, lets the running ones write their outcome to their callers (the engine cancelled them
   * already), within a bound, then hangs up.
   */
  @Override
  public void close() {
    closed = true;
    revokeAll();
    try {
      server.close();
    } catch (IOException e) {
      LOG.debug("closing the call port: {}", e.getMessage());
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!sessions.isEmpty() && System.nanoTime() - deadline < 0) {
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    sessions.forEach(Session::hangUp);
    ticker.shutdownNow();
    watcher.shutdownNow();
    threads.shutdown();
  }

  private void accept() {
    while (!closed) {
      try {
        Socket socket = server.accept();
        socket.setTcpNoDelay(true);
        Session session = new Session(socket);
        threads.execute(session::run);
      } catch (IOException | RejectedExecutionException e) {
        if (!closed) {
          LOG.warn("the call port failed to accept a connection: {}", e.getMessage());
        }
      }
    }
  }

  private void tick() {
    List<Call> due = new ArrayList<>();
    for (Session s : sessions) {
      try {
        Call c = s.tick();
        if (c != null) {
          due.add(c);
        }
      } catch (RuntimeException e) {
        LOG.warn("tick of a call failed: {}", e.getMessage());
      }
    }
    if (!due.isEmpty()) {
      stopLockCycles(due);
    }
  }

  /** Stops, with the error that names it, each call whose work waits for its own caller. */
  private void stopLockCycles(List<Call> calls) {
    Set<Integer> blocked;
    try (Connection c = metadata.getConnection()) {
      blocked = LockCycles.blockedByTheirCallers(c, calls);
    } catch (SQLException e) {
      LOG.warn("could not look for lock cycles of {} calls: {}", calls.size(), e.getMessage());
      return;
    }
    for (int i : blocked) {
      Call call = calls.get(i);
      Worker w = call.session.worker;
      String cycle = w == null ? null : w.nameLockCycle(call);
      if (cycle != null) {
        call.stoppedFor = cycle;
        call.cancellation.cancel();
      }
    }
  }

  /** A call as it runs: what {@link Worker#runDirect} reports to its caller, and what the caller may do to it. */
  static final class Call {
    final String op;
    final List<String> params;
    final String requestedBy;
    final int callerPid;
    /**
     * How long the caller waits for the engine to take the call up (its {@code iasql.pickup_timeout}); a call that
     * finds no session for its database waits for one this long from its arrival, as a queued call waits to be
     * claimed.
     */
    final long pickupMillis;
    final long arrivedNanos = System.nanoTime();
    final Cancellation cancellation = Cancellation.create();
    private final Session session;
    private int ticks;
    volatile long id;
    volatile int enginePid;
    /** Why the engine stopped the call itself (a lock cycle with its caller), as the error's JSON; or null. */
    volatile @Nullable String stoppedFor;

    private Call(String op, List<String> params, String requestedBy, int callerPid, long pickupMillis,
        Session session) {
      this.op = op;
      this.params = params;
      this.requestedBy = requestedBy;
      this.callerPid = callerPid;
      this.pickupMillis = pickupMillis;
      this.session = session;
    }

    /** The call has its row (its id): the caller may now only learn its outcome, not retry it elsewhere. */
    void claimed(long id, int enginePid) {
      this.id = id;
      this.enginePid = enginePid;
      session.result("c", Long.toString(id), false);
    }

    void progress(String line) {
      session.result("p", line, false);
    }
  }

  /** One dblink connection: the thread reads; calls run on threads of their own. */
  private final class Session {
    private final Socket socket;
    private final DataInputStream in;
    private final DataOutputStream out;
    private volatile @Nullable Worker worker;
    private @Nullable String token;
    private volatile @Nullable Call running;
    private boolean retired;
    /** Another thread reads the line while the call runs on the one that read it (see {@link #readMeanwhile}). */
    private boolean reader;
    /**
     * While the running call runs on the thread that read it (nobody reads the line unless {@link #reader}): starts
     * {@link #readMeanwhile} unless the call ends first.
     */
    private @Nullable ScheduledFuture<?> watch;

    Session(Socket socket) throws IOException {
      this.socket = socket;
      this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
      this.out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()));
    }

    void run() {
      sessions.add(this);
      try {
        // Whoever connects without a token holds this thread no longer than that.
        socket.setSoTimeout(STARTUP_MILLIS);
        if (!startUp()) {
          end();
          return;
        }
        socket.setSoTimeout(0);
      } catch (IOException e) {
        LOG.debug("a call connection ended at its start: {}", e.getMessage());
        end();
        return;
      }
      read();
    }

    /**
     * Reads the caller's queries and runs each, until the caller goes (false) or, while this thread ran a call,
     * another took over reading (true: this one leaves, the session goes on).
     */
    private boolean serve() throws IOException {
      try {
        // Until the line ends: a reader that starts while the port closes must not end it under a running call,
        // whose outcome is yet to be written (a closing port hangs up each line once its call has answered).
        while (true) {
          int type = in.read();
          if (type < 0 || type == 'X') {
            return false;
          }
          byte[] body = body(in.readInt());
          if (type != 'Q' || running != null) {
            return false; // not what call_direct sends: a caller that breaks the protocol loses the line
          }
          if (query(new String(body, 0, Math.max(0, body.length - 1), StandardCharsets.UTF_8))) {
            return true;
          }
        }
      } catch (EOFException e) {
        return false; // the caller went
      }
    }

    /** The caller went: so does its running call's work (Ctrl-C, statement_timeout, its session ended). */
    private void end() {
      sessions.remove(this);
      Call call = running;
      if (call != null) {
        call.cancellation.cancel();
      }
      hangUp();
    }

    /**
     * Reads the line until the caller goes, then ends the session; or until another thread took over reading while
     * this one ran a call (see {@link #query}).
     */
    private void read() {
      boolean handedOver = false;
      try {
        handedOver = serve();
      } catch (IOException e) {
        LOG.debug("a call connection ended: {}", e.getMessage());
      } finally {
        if (!handedOver) {
          end();
        }
      }
    }

    /** The start-up and the password; whether the connection may make calls. */
    private boolean startUp() throws IOException {
      while (true) {
        byte[] packet = body(in.readInt());
        if (packet.length < 4) {
          return false;
        }
        int code = ((packet[0] & 0xff) << 24) | ((packet[1] & 0xff) << 16) | ((packet[2] & 0xff) << 8)
            | (packet[3] & 0xff);
        if (code == SSL_REQUEST || code == GSS_REQUEST) {
          out.write('N');
          out.flush();
        } else if (code == PROTOCOL_3) {
          break;
        } else {
          return false; // a cancel request (Ctrl-C is told by closing the connection), or another protocol
        }
      }
      message('R', b -> b.writeInt(3)); // a cleartext password
      out.flush();
      if (in.read() != 'p') {
        return false;
      }
      byte[] password = body(in.readInt());
      token = new String(password, 0, Math.max(0, password.length - 1), StandardCharsets.US_ASCII);
      Worker w = tokens.get(token);
      if (w == null) {
        error("28P01", "this engine does not serve the database with that token", false);
        return false;
      }
      worker = w;
      message('R', b -> b.writeInt(0));
      parameter("server_version", "17.0");
      parameter("server_encoding", "UTF8");
      parameter("client_encoding", "UTF8");
      parameter("standard_conforming_strings", "on");
      parameter("integer_datetimes", "on");
      parameter("DateStyle", "ISO, MDY");
      message('K', b -> {
        b.writeInt(0);
        b.writeInt(0);
      });
      ready();
      return true;
    }

    /**
     * Runs one query: a call, on this thread when its database has room (else queued, see {@link Dispatcher}).
     * Returns whether another thread took over reading the line meanwhile, so that this one must leave it.
     */
    private boolean query(String sql) throws IOException {
      Worker w = worker;
      if (w == null || tokens.get(token) != w) {
        // This engine no longer serves the database: the caller, finding the line gone before its call was
        // claimed, connects again with what the database's config says now, or takes the queued route.
        hangUp();
        return false;
      }
      if (!sql.startsWith("{")) {
        // libpq sets the client encoding on connect; everything is UTF-8 here.
        if (sql.regionMatches(true, 0, "set ", 0, 4)) {
          message('C', b -> b.write(cString("SET")));
          ready();
        } else {
          error("42601", "the engine's call port takes calls only", true);
        }
        return false;
      }
      Call call;
      try {
        JsonNode request = JSON.readTree(sql);
        List<String> params = new ArrayList<>();
        request.path("params").forEach(p -> params.add(p.isNull() ? null : p.asText()));
        call = new Call(request.path("op").asText(), params, request.path("user").asText(),
            request.path("pid").asInt(), request.path("pickup_ms").asLong(0), this);
      } catch (IOException e) {
        error("08P01", "a call the engine cannot read: " + e.getMessage(), true);
        return false;
      }
      running = call;
      String database = w.databaseName();
      boolean here;
      try {
        here = dispatcher.enter(database);
        if (!here) {
          // Its database has all the calls it may run at once: this one waits in its queue, and runs on a thread
          // of its own when its turn comes; this one keeps reading, to hear the caller go.
          dispatcher.submit(database, () -> finish(w.runDirect(call)));
        }
      } catch (RejectedExecutionException e) {
        running = null;
        hangUp(); // the engine is stopping: the caller takes the queued route, and learns it there
        return false;
      }
      if (!here) {
        return false;
      }
      // On this thread: a quick call is done in a few milliseconds, and no other thread is woken for it. Nobody reads
      // the line meanwhile, so a call still running after READER_AFTER_MILLIS gets a reader, which hears the caller go.
      synchronized (this) {
        watch = watcher.schedule(this::readMeanwhile, READER_AFTER_MILLIS, TimeUnit.MILLISECONDS);
      }
      String outcome;
      try {
        outcome = w.runDirect(call);
      } finally {
        dispatcher.leave(database);
      }
      return finish(outcome);
    }

    /** The outcome ends the query; no tick may follow it. */
    private synchronized boolean finish(String outcome) {
      running = null;
      result("o", outcome, true);
      if (retired) {
        hangUp();
      }
      boolean tookOver = reader;
      if (watch != null) {
        watch.cancel(false);
        watch = null;
      }
      reader = false;
      return tookOver;
    }

    /** The call that runs on the thread that read it still runs: another thread reads the line meanwhile. */
    private synchronized void readMeanwhile() {
      if (watch != null && !reader) {
        reader = true;
        try {
          threads.execute(this::read);
        } catch (RejectedExecutionException e) {
          reader = false; // the port is closing: its close cancels the call
        }
      }
    }

    /** Closes now when idle, else once the running call has answered. */
    synchronized void retire() {
      retired = true;
      if (running == null) {
        hangUp();
      }
    }

    /** Sends the running call's tick; returns the call when it is due a look for a lock cycle, else null. */
    @Nullable Call tick() {
      Call call;
      synchronized (this) {
        call = running;
        if (call == null) {
          return null;
        }
        result("t", null, false);
      }
      // Every other tick: a cycle is looked for every half second, as the queued route's caller does.
      return worker != null && call.enginePid != 0 && call.stoppedFor == null && ++call.ticks % 2 == 0 ? call : null;
    }

    /** One result set of a call: a row (kind, body); the outcome ends the query. */
    synchronized void result(String kind, @Nullable String body, boolean last) {
      try {
        message('T', b -> {
          b.writeShort(2);
          for (String name : new String[] {"kind", "body"}) {
            b.write(cString(name));
            b.writeInt(0);
            b.writeShort(0);
            b.writeInt(25); // text
            b.writeShort(-1);
            b.writeInt(-1);
            b.writeShort(0);
          }
        });
        message('D', b -> {
          b.writeShort(2);
          for (String value : new String[] {kind, body}) {
            if (value == null) {
              b.writeInt(-1);
            } else {
              byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
              b.writeInt(bytes.length);
              b.write(bytes);
            }
          }
        });
        message('C', b -> b.write(cString("SELECT 1")));
        if (last) {
          ready();
        } else {
          out.flush();
        }
      } catch (IOException e) {
        hangUp(); // the caller went: the reading thread sees it too
      }
    }

    private synchronized void error(String sqlState, String text, boolean thenReady) throws IOException {
      message('E', b -> {
        b.write('S');
        b.write(cString("ERROR"));
        b.write('V');
        b.write(cString("ERROR"));
        b.write('C');
        b.write(cString(sqlState));
        b.write('M');
        b.write(cString(text));
        b.write(0);
      });
      if (thenReady) {
        ready();
      } else {
        out.flush();
      }
    }

    private void parameter(String name, String value) throws IOException {
      message('S', b -> {
        b.write(cString(name));
        b.write(cString(value));
      });
    }

    private synchronized void ready() throws IOException {
      message('Z', b -> b.write('I'));
      out.flush();
    }

    private synchronized void message(char type, Body body) throws IOException {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      body.write(new DataOutputStream(bytes));
      out.write(type);
      out.writeInt(bytes.size() + 4);
      bytes.writeTo(out);
    }

    private byte[] body(int length) throws IOException {
      if (length < 4 || length > MAX_MESSAGE) {
        throw new IOException("a message of " + length + " bytes");
      }
      byte[] body = new byte[length - 4];
      in.readFully(body);
      return body;
    }

    void hangUp() {
      try {
        socket.close();
      } catch (IOException e) {
        LOG.debug("closing a call connection: {}", e.getMessage());
      }
    }
  }

  @FunctionalInterface
  private interface Body {
    void write(DataOutputStream out) throws IOException;
  }

  private static byte[] cString(String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    byte[] c = new byte[bytes.length + 1];
    System.arraycopy(bytes, 0, c, 0, bytes.length);
    return c;
  }

  private static ThreadFactory daemons(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
