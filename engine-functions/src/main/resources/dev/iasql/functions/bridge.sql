-- The SQL side of the function bridge. Installed in every user database and in the metadata database.
-- Upper-case tokens between @ signs are filled from the Java constants (error codes, lock keys) so the two sides cannot drift.
-- Every definer function pins search_path to pg_catalog, pg_temp and qualifies every name: a tenant's temp
-- table must never shadow ours.
CREATE SCHEMA IF NOT EXISTS iasql_engine;
REVOKE ALL ON SCHEMA iasql_engine FROM PUBLIC;
CREATE EXTENSION IF NOT EXISTS dblink SCHEMA iasql_engine;

-- How a call loops back into this database with its own transaction (dblink): written by the engine on attach.
CREATE TABLE IF NOT EXISTS iasql_engine.config (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  conninfo text NOT NULL
);
REVOKE ALL ON iasql_engine.config FROM PUBLIC;
-- Columns later builds added, each only when missing (ALTER TABLE locks the table even when it has nothing to do,
-- and a caller waiting for its call holds a lock on config):
-- plumbing: which plumbing this database runs (a digest of this script, written by the engine): an engine refreshes
--   a database whose plumbing an older build installed before it serves it;
-- ring_conninfo: how the queued route rings the engine's doorbell (see ring_engine below);
-- engine_conninfo: the engine's own port for this database's calls (host, port and the token it admits them with),
--   written by the engine serving it when it takes it over (see call_direct below).
DO $do$
DECLARE
  _column text;
BEGIN
  FOREACH _column IN ARRAY ARRAY['plumbing', 'ring_conninfo', 'engine_conninfo'] LOOP
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute WHERE attrelid = 'iasql_engine.config'::pg_catalog.regclass
        AND attname = _column AND NOT attisdropped) THEN
      EXECUTE pg_catalog.format('ALTER TABLE iasql_engine.config ADD COLUMN %I text', _column);
    END IF;
  END LOOP;
END $do$;

-- Opens the loopback as name: with the conninfo above (the owner's password over TCP), or, on a cluster whose
-- pg_hba trusts that route (dblink refuses a non-superuser a connection the server asks no password for), through
-- iasql_engine.trusted_loopback, which the engine installs there and which reaches this database as its owner only.
CREATE OR REPLACE FUNCTION iasql_engine.loopback_connect(_name text) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $fn$
BEGIN
  IF pg_catalog.to_regprocedure('iasql_engine.trusted_loopback(text)') IS NOT NULL THEN
    PERFORM iasql_engine.trusted_loopback(_name);
  ELSE
    PERFORM iasql_engine.dblink_connect(_name, (SELECT c.conninfo FROM iasql_engine.config c));
  END IF;
END
$fn$;
REVOKE ALL ON FUNCTION iasql_engine.loopback_connect(text) FROM PUBLIC;

-- The key of the advisory lock a claimed call's engine holds until the outcome is written. The engine draws it at
-- random and writes it here only once it holds it: a tenant (who may take any advisory lock in its own database)
-- can neither predict it nor take it first.
DO $do$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute WHERE attrelid = 'public.iasql_operation'::pg_catalog.regclass
      AND attname = 'lock_key' AND NOT attisdropped) THEN
    ALTER TABLE public.iasql_operation ADD COLUMN lock_key integer;
  END IF;
END $do$;

-- How the engine learns of a call: NOTIFY reaches only the listeners of the database it is sent in, so one engine
-- serving many databases listens in one, the metadata database, where each database's functions ring its doorbell
-- (iasql_engine.doorbell there) as the database's ring role, which may do nothing else there. The ring role's conninfo
-- is written here by the engine on attach; the tenant cannot read it (config is revoked from PUBLIC). In the
-- metadata database itself the doorbell is rung through the loopback.
-- (Older builds notified from triggers in each database, where an engine listened per database.)
DROP TRIGGER IF EXISTS iasql_operation_request ON public.iasql_operation;
DROP TRIGGER IF EXISTS iasql_operation_cancel ON public.iasql_operation;
DROP FUNCTION IF EXISTS iasql_engine.notify();
DROP FUNCTION IF EXISTS iasql_engine.engine_present();

-- Rings the doorbell of the engine serving this database: _kind 'r' for a request, 'c' for a cancel, 'p' only to ask.
-- Returns whether an engine serves this database (it holds the database's presence lock in the metadata database):
-- true; NULL when none does right now but an engine runs, which is told to take the database over; false when no
-- engine runs.
-- A broken ring session (the metadata database restarted, the backend ended) is opened again, once.
CREATE OR REPLACE FUNCTION iasql_engine.ring_engine(_kind text, _id bigint) RETURNS boolean
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $fn$
DECLARE
  _conn text := 'iasql_ring';
  _present boolean;
BEGIN
  IF current_database() = '@METADATA_DATABASE@' THEN
    _conn := 'iasql_bridge';
  END IF;
  FOR _attempt IN 1 .. 2 LOOP
    BEGIN
      IF _conn <> ALL (coalesce(iasql_engine.dblink_get_connections(), '{}')) THEN
        IF _conn = 'iasql_bridge' THEN
          PERFORM iasql_engine.loopback_connect(_conn);
        ELSIF pg_catalog.to_regprocedure('iasql_engine.trusted_ring(text)') IS NOT NULL THEN
          PERFORM iasql_engine.trusted_ring(_conn);
        ELSIF (SELECT c.ring_conninfo FROM iasql_engine.config c) IS NULL THEN
          RETURN false; -- no engine has served this database since its functions learnt to ring
        ELSE
          PERFORM iasql_engine.dblink_connect(_conn, (SELECT c.ring_conninfo FROM iasql_engine.config c));
        END IF;
      END IF;
      SELECT t.present INTO _present FROM iasql_engine.dblink(_conn,
          format('SELECT iasql_engine.doorbell(%L, %s)', _kind, _id)) AS t(present boolean);
      RETURN _present;
    EXCEPTION WHEN connection_exception THEN -- class 08: the connect, or a query on a lost connection
      IF _attempt = 2 THEN
        RAISE;
      END IF;
      IF _conn = ANY (coalesce(iasql_engine.dblink_get_connections(), '{}')) THEN
        PERFORM iasql_engine.dblink_disconnect(_conn);
      END IF;
    END;
  END LOOP;
END
$fn$;
REVOKE ALL ON FUNCTION iasql_engine.ring_engine(text, bigint) FROM PUBLIC;

DROP FUNCTION IF EXISTS iasql_engine.raise_reported(jsonb);

-- Raises as NOTICEs the progress lines of a call not yet shown; returns how many have been shown. The engine keeps
-- a running call's lines in the metadata database (see progress_of in doorbell.sql), read here through the ring; the
-- caller also appends them to its call's row through the loopback, so that another session watching iasql_operation
-- sees them while the call runs (the engine writes the row's whole list with the outcome).
DROP FUNCTION IF EXISTS iasql_engine.raise_progress(text, bigint, integer);
CREATE OR REPLACE FUNCTION iasql_engine.raise_progress(_id bigint, _seen integer) RETURNS integer
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $fn$
DECLARE
  _line record;
  _ring text := 'iasql_ring';
  _new jsonb := '[]';
BEGIN
  IF current_database() = '@METADATA_DATABASE@' THEN
    _ring := 'iasql_bridge';
  END IF;
  FOR _line IN SELECT t.n, t.line FROM iasql_engine.dblink(_ring, format(
      'SELECT n, line FROM iasql_engine.progress_of(%s, %s)', _id, _seen)) AS t(n integer, line text) LOOP
    RAISE NOTICE '%', _line.line;
    _seen := _line.n;
    _new := _new || jsonb_build_array(_line.line);
  END LOOP;
  IF jsonb_array_length(_new) > 0 THEN
    PERFORM iasql_engine.dblink_exec('iasql_bridge', format('UPDATE public.iasql_operation'
        ' SET progress = progress || %L::jsonb WHERE id = %s AND status IN (''running'', ''cancelling'')', _new, _id));
  END IF;
  RETURN _seen;
EXCEPTION WHEN connection_exception THEN
  RETURN _seen; -- shown at the end instead, from the call's row (the ring is opened again at the next call)
END
$fn$;
REVOKE ALL ON FUNCTION iasql_engine.raise_progress(bigint, integer) FROM PUBLIC;

-- Whether the engine's work on a call waits, directly or through other sessions, for a lock the calling transaction
-- holds, while that transaction waits for the call: a deadlock. PostgreSQL's own detector cannot be relied on here
-- (the caller waits in short slices, so it never looks, and the engine's backend looks only once,
-- deadlock_timeout into its wait, and may find the caller between two slices). Returns the error to report, naming
-- the lock, or NULL.
-- _me: the caller's backend (the engine asks on a direct call's behalf, see Worker#lockCycle).
DROP FUNCTION IF EXISTS iasql_engine.lock_cycle(text, integer);
CREATE OR REPLACE FUNCTION iasql_engine.lock_cycle(_op text, _engine_pid integer, _me integer) RETURNS jsonb
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $fn$
DECLARE
  _blocked integer;
  _rel regclass;
  _wanted text;
  _what text;
  _held text;
BEGIN
  IF _engine_pid IS NULL THEN
    RETURN NULL;
  END IF;
  WITH RECURSIVE chain(pid, depth) AS (
    SELECT _engine_pid, 1
    UNION ALL
    SELECT b.pid, c.depth + 1 FROM chain c, unnest(pg_blocking_pids(c.pid)) AS b(pid)
    WHERE c.depth < 4 AND b.pid <> _me
  )
  SELECT c.pid INTO _blocked FROM chain c WHERE _me = ANY (pg_blocking_pids(c.pid)) LIMIT 1;
  IF _blocked IS NULL THEN
    RETURN NULL;
  END IF;
  -- What it waits for: a table lock, or a row (it then holds the row's tuple lock and waits for our transaction).
  SELECT l.relation::regclass, l.mode INTO _rel, _wanted FROM pg_locks l
  WHERE l.pid = _blocked AND l.relation IS NOT NULL AND (NOT l.granted OR l.locktype = 'tuple')
  ORDER BY l.granted, l.locktype = 'tuple' DESC LIMIT 1;
  SELECT string_agg(DISTINCT l.mode, ', ') INTO _held FROM pg_locks l
  WHERE l.pid = _me AND l.granted AND l.relation = _rel;
  IF _rel IS NULL THEN
    _what := 'a lock that this transaction holds';
  ELSIF EXISTS (SELECT 1 FROM pg_locks l WHERE l.pid = _blocked AND l.relation = _rel AND NOT l.granted) THEN
    _what := format('%s on table %s, which this transaction has locked (%s)', _wanted, _rel, coalesce(_held, 'a lock'));
  ELSE
    _what := format('a row of table %s that this transaction changed or locked', _rel);
  END IF;
  RETURN jsonb_build_object('code', '@CALLER_LOCK_CONFLICT@',
    'message', format('the %s call needs %s: each would wait for the other forever', _op, _what),
    'detail', format('the engine stopped the call and undid its work; backend %s waited for backend %s', _blocked, _me),
    'hint', format('COMMIT or ROLLBACK first, then call it again outside the transaction that read or changed %s',
        coalesce(_rel::text, 'module tables')));
END
$fn$;
REVOKE ALL ON FUNCTION iasql_engine.lock_cycle(text, integer, integer) FROM PUBLIC;

-- Ends a request no engine has claimed with the given error (code, message, hint), which it then raises; returns
-- when an engine claimed it meanwhile. The caller and the log say the same.
CREATE OR REPLACE FUNCTION iasql_engine.expire(_conn text, _id bigint, _err jsonb) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $fn$
DECLARE
  _status text;
BEGIN
  SELECT t.status INTO _status FROM iasql_engine.dblink(_conn, format(
      'UPDATE public.iasql_operation SET status = ''expired'', end_date = clock_timestamp(), err = %L::jsonb'
      ' WHERE id = %s AND status = ''pending'' RETURNING status', _err, _id))
    AS t(status text);
  IF _status = 'expired' THEN
    RAISE EXCEPTION USING ERRCODE = _err->>'code', MESSAGE = _err->>'message', HINT = _err->>'hint';
  END IF;
END
$fn$;
REVOKE ALL ON FUNCTION iasql_engine.expire(text, bigint, jsonb) FROM PUBLIC;

-- One call straight to the engine serving this database, on its own port (see Wire.java): returns the outcome as
-- call does, or NULL when that route is closed (no engine wrote its port, or none answers there: it stopped, or
-- another engine took the database over and has not written its own yet), and the queued route below is taken.
-- The engine answers with result sets (kind, body): 'c' once the call has its row, 'p' a progress line, 't' a tick
-- (a wait inside dblink_get_result is interrupted only between results before PostgreSQL 17), 'o' the outcome.
-- A line lost before 'c' lost nothing: the call is sent again on a fresh connection, once. One lost after it is an
-- engine that died mid-call. Closing the connection stops the engine's work, which is how Ctrl-C reaches it.
DROP FUNCTION IF EXISTS iasql_engine.call_direct(text, text[]);
CREATE OR REPLACE FUNCTION iasql_engine.call_direct(_op text, _params text[], _pickup interval) RETURNS jsonb
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $fn$
DECLARE
  _conn constant text := 'iasql_direct';
  _kind text;
  _body text;
  _outcome jsonb;
  _claimed boolean := false;
  _info text;
  _quiet text;
BEGIN
  FOR _attempt IN 1 .. 2 LOOP
    IF _conn <> ALL (coalesce(iasql_engine.dblink_get_connections(), '{}')) THEN
      SELECT c.engine_conninfo INTO _info FROM iasql_engine.config c;
      IF _info IS NULL THEN
        RETURN NULL;
      END IF;
      BEGIN
        PERFORM iasql_engine.dblink_connect(_conn, _info);
      EXCEPTION WHEN sqlclient_unable_to_establish_sqlconnection OR connection_exception THEN
        RETURN NULL;
      END;
    END IF;
    BEGIN
      -- A line the engine closed fails here with a NOTICE of its own: not the caller's business.
      _quiet := current_setting('client_min_messages');
      PERFORM set_config('client_min_messages', 'warning', true);
      IF iasql_engine.dblink_send_query(_conn, jsonb_build_object('op', _op, 'params', coalesce(_params, '{}'),
          'pid', pg_backend_pid(), 'user', session_user,
          'pickup_ms', round(extract(epoch FROM _pickup) * 1000))::text) <> 1 THEN
        PERFORM set_config('client_min_messages', _quiet, true);
        PERFORM iasql_engine.dblink_disconnect(_conn);
        CONTINUE;
      END IF;
      PERFORM set_config('client_min_messages', _quiet, true);
      LOOP
        _kind := NULL;
        SELECT t.kind, t.body INTO _kind, _body FROM iasql_engine.dblink_get_result(_conn) AS t(kind text, body text);
        EXIT WHEN _kind IS NULL; -- the end of the answer, after its outcome
        CASE _kind
          WHEN 'c' THEN _claimed := true;
          WHEN 'p' THEN RAISE NOTICE '%', _body;
          WHEN 'o' THEN _outcome := _body::jsonb;
          ELSE NULL; -- a tick
        END CASE;
      END LOOP;
      IF _outcome IS NULL THEN
        RAISE EXCEPTION 'the IaSQL engine answered the % call without an outcome', _op USING ERRCODE = '@INTERNAL_ERROR@';
      END IF;
      RETURN _outcome;
    EXCEPTION
      WHEN connection_exception THEN
        PERFORM iasql_engine.dblink_disconnect(_conn);
        IF _claimed THEN
          RAISE EXCEPTION 'the IaSQL engine stopped while running the % call', _op
            USING ERRCODE = '@ENGINE_DIED@',
                  HINT = 'the call may have been partly done; see iasql_operation, then call it again once the engine is back';
        END IF;
      WHEN query_canceled THEN
        -- Ctrl-C or statement_timeout: the engine hears the line close and stops the work, not just the wait.
        PERFORM iasql_engine.dblink_disconnect(_conn);
        RAISE EXCEPTION USING ERRCODE = 'query_canceled', MESSAGE = format(
            '%s: the %s call was stopped, and so is the engine''s work on it', SQLERRM, lower(_op)),
          HINT = 'SELECT status, err FROM iasql_operation ORDER BY id DESC LIMIT 1 shows where it ended';
      WHEN OTHERS THEN
        -- Whatever stopped us, the line may be mid-answer: a fresh one for the next call.
        IF _conn = ANY (coalesce(iasql_engine.dblink_get_connections(), '{}')) THEN
          PERFORM iasql_engine.dblink_disconnect(_conn);
        END IF;
        RAISE;
    END;
  END LOOP;
  RETURN NULL;
END
$fn$;
REVOKE ALL ON FUNCTION iasql_engine.call_direct(text, text[], interval) FROM PUBLIC;

-- One engine-backed call, returning {"output": rows} or {"err": {code, message, detail, hint}}: queue the request in its own transaction, wait until the engine claims it, then wait on
-- the request's advisory lock, which the engine holds until it has written the outcome (or its session died).
CREATE OR REPLACE FUNCTION iasql_engine.call(_op text, _params text[]) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp SET lock_timeout = 0 AS $fn$
DECLARE
  _conn constant text := 'iasql_bridge';
  _id bigint;
  _key integer;
  _status text;
  _output jsonb;
  _err jsonb;
  _wait double precision := 0.0009;
  _polls integer := 0;
  _pickup interval;
  _deadline timestamptz;
  _seen integer := 0;
  _progress jsonb;
  _i integer;
  _engine_pid integer;
  _cycle jsonb;
  _locked boolean := false;
  _token constant uuid := gen_random_uuid();
  _expiry jsonb;
  _present boolean;
  _fresh constant boolean := current_setting('transaction_isolation') = 'read committed';
  _secret boolean := false;
BEGIN
  BEGIN
    _pickup := coalesce(nullif(current_setting('iasql.pickup_timeout', true), ''), '@PICKUP_TIMEOUT@')::interval;
  EXCEPTION WHEN invalid_datetime_format OR datetime_field_overflow OR interval_field_overflow THEN
    RAISE EXCEPTION 'iasql.pickup_timeout is not an interval: %', current_setting('iasql.pickup_timeout', true)
      USING ERRCODE = '@INVALID_ARGUMENT@', HINT = 'for example: SET iasql.pickup_timeout = ''30s''';
  END;
  IF _pickup <= interval '0' THEN
    RAISE EXCEPTION 'iasql.pickup_timeout must be positive, not %', _pickup
      USING ERRCODE = '@INVALID_ARGUMENT@', HINT = 'for example: SET iasql.pickup_timeout = ''30s''';
  END IF;
  _deadline := clock_timestamp() + _pickup;
  _output := iasql_engine.call_direct(_op, _params, _pickup);
  IF _output IS NOT NULL THEN
    RETURN _output;
  END IF;
  -- A session's first call asks whether an engine serves the database before it queues anything: until one has, the
  -- loopback may have nothing to connect with. Later calls learn it from the ring that follows their request, one
  -- round trip fewer.
  IF _conn <> ALL (coalesce(iasql_engine.dblink_get_connections(), '{}'))
      OR (current_database() <> '@METADATA_DATABASE@'
        AND 'iasql_ring' <> ALL (coalesce(iasql_engine.dblink_get_connections(), '{}'))) THEN
    _present := iasql_engine.ring_engine('p', 0);
    -- No engine serves the database right now, but one runs (its server died, or it has just been created through
    -- another): the ring told the running ones to take it over; wait for that within the pickup timeout, asking the
    -- doorbell (in the metadata database) every 20 ms, not this database.
    WHILE _present IS NULL AND clock_timestamp() < _deadline LOOP
      PERFORM pg_sleep(0.02);
      _present := iasql_engine.ring_engine('p', 0);
    END LOOP;
    IF NOT _present THEN
      RAISE EXCEPTION 'the IaSQL engine is not running for database %', current_database()
        USING ERRCODE = '@ENGINE_NOT_RUNNING@', HINT = 'start it with ./iasql serve, then call the function again';
    ELSIF _present IS NULL THEN
      RAISE EXCEPTION 'no IaSQL engine took over database % within %', current_database(), _pickup
        USING ERRCODE = '@REQUEST_NOT_PICKED_UP@',
              HINT = 'the engines may be overloaded or stuck: see their logs; SET iasql.pickup_timeout = ''30s'' waits longer';
    END IF;
    IF _conn <> ALL (coalesce(iasql_engine.dblink_get_connections(), '{}')) THEN
      PERFORM iasql_engine.loopback_connect(_conn);
    END IF;
  END IF;
  BEGIN
    -- The request is known by a name of our own from before it exists: a cancel that lands while the insert is in
    -- flight must still find (and cancel) the row, which may commit on the loopback after we stopped waiting.
    -- The loopback writes only request rows, which need not survive a crash (their caller gets an error either way):
    -- its commits skip the wait for the WAL flush (set here, in the same round trip; module tables are never
    -- written through it).
    SELECT t.id INTO _id FROM iasql_engine.dblink(_conn, format(
        'SET synchronous_commit = off; INSERT INTO public.iasql_operation (opid, optype, params, requested_by)'
        ' VALUES (%L, %L, %L, %L) RETURNING id',
        _token, _op, coalesce(_params, '{}'), session_user)) AS t(id bigint);
    -- The ring also says whether an engine serves the database (see ring_engine). With none running at all, the
    -- request is expired at once, in the same words as the ask above; while one runs (NULL), the loop below waits for
    -- it to take the database over and run what is queued.
    IF iasql_engine.ring_engine('r', _id) IS FALSE THEN
      PERFORM iasql_engine.expire(_conn, _id, jsonb_build_object('code', '@ENGINE_NOT_RUNNING@',
          'message', format('the IaSQL engine is not running for database %s', current_database()),
          'hint', 'start it with ./iasql serve, then call the function again'));
    END IF;
    LOOP
      -- In READ COMMITTED each statement sees what has committed before it, so the caller reads the request row
      -- itself; under a snapshot taken earlier (REPEATABLE READ, SERIALIZABLE) it asks through the loopback.
      IF _fresh THEN
        SELECT o.status, o.engine_pid, o.lock_key INTO _status, _engine_pid, _key FROM public.iasql_operation o
        WHERE o.id = _id;
      ELSE
        SELECT t.status, t.engine_pid, t.lock_key INTO _status, _engine_pid, _key FROM iasql_engine.dblink(_conn,
            format('SELECT status, engine_pid, lock_key FROM public.iasql_operation WHERE id = %s', _id))
          AS t(status text, engine_pid integer, lock_key integer);
      END IF;
      EXIT WHEN _status <> 'pending';
      _polls := _polls + 1;
      -- Rung again now and then: a ring is a hint, lost if the engine's doorbell session was down just then. While
      -- an engine runs (NULL: none serves the database this moment), the one that takes it over runs what is queued.
      IF clock_timestamp() > _deadline OR (_polls % 16 = 0 AND NOT iasql_engine.ring_engine('r', _id)) THEN
        -- One story for the caller and the log: whichever it is, both say the same code and message.
        IF iasql_engine.ring_engine('p', 0) IS NOT FALSE THEN
          _expiry := jsonb_build_object('code', '@REQUEST_NOT_PICKED_UP@', 'message',
              format('the IaSQL engine did not pick up the %s call within %s', _op, _pickup),
              'hint', 'the engine may be overloaded or stuck: see its log; SET iasql.pickup_timeout = ''30s'' waits longer');
        ELSE
          _expiry := jsonb_build_object('code', '@ENGINE_NOT_RUNNING@', 'message',
              format('the IaSQL engine stopped before it picked up the %s call', _op),
              'hint', 'start it with ./iasql serve, then call the function again');
        END IF;
        PERFORM iasql_engine.expire(_conn, _id, _expiry);
        EXIT; -- claimed meanwhile
      END IF;
      -- Then poll every ~1 ms for a while, then back off.
      PERFORM pg_sleep(_wait);
      IF _polls > 20 THEN
        _wait := least(_wait * 2, 0.02);
      END IF;
    END LOOP;
    IF _key IS NULL THEN -- claimed between the last poll and the expiry
      SELECT t.status, t.engine_pid, t.lock_key INTO _status, _engine_pid, _key FROM iasql_engine.dblink(_conn,
          format('SELECT status, engine_pid, lock_key FROM public.iasql_operation WHERE id = %s', _id))
        AS t(status text, engine_pid integer, lock_key integer);
    END IF;
    -- Wait for the outcome in slices, raising the engine's progress lines as NOTICEs between them. A call ended
    -- before any engine claimed it (cancelled, expired) has no lock to wait for.
    WHILE _key IS NOT NULL LOOP
      BEGIN
        PERFORM set_config('lock_timeout', '@PROGRESS_INTERVAL@', true);
        PERFORM pg_advisory_lock(@REQUEST_CLASS@, _key);
        _locked := true;
        EXIT;
      EXCEPTION WHEN lock_not_available THEN
        _seen := iasql_engine.raise_progress(_id, _seen);
        -- The key is public once the engine holds it: another session holding it too must not keep us waiting
        -- past the outcome, which is written before the engine lets go.
        SELECT t.status INTO _status FROM iasql_engine.dblink(_conn, format(
            'SELECT status FROM public.iasql_operation WHERE id = %s', _id)) AS t(status text);
        EXIT WHEN _status IN ('done', 'error', 'cancelled', 'expired');
        IF _cycle IS NULL THEN
          _cycle := iasql_engine.lock_cycle(_op, _engine_pid, pg_backend_pid());
          IF _cycle IS NOT NULL THEN
            -- Stop the engine's work with the reason, then keep waiting: the outcome arrives once it has undone
            -- everything, and carries the reason.
            PERFORM iasql_engine.dblink_exec(_conn, format(
                'UPDATE public.iasql_operation SET status = ''cancelling'', err = %L::jsonb'
                ' WHERE id = %s AND status = ''running''', _cycle, _id));
            PERFORM iasql_engine.ring_engine('c', _id);
          END IF;
        END IF;
      END;
    END LOOP;
    PERFORM set_config('lock_timeout', '0', true);
    IF _locked THEN
      PERFORM pg_advisory_unlock(@REQUEST_CLASS@, _key);
    END IF;
  EXCEPTION WHEN query_canceled THEN
    -- Ctrl-C or statement_timeout: tell the engine to stop the work, not just stop waiting for it. A call still
    -- queued is cancelled outright (nobody will claim it); a claimed one is handed to its engine to stop. The row
    -- lock makes this and the engine's claim take turns. The interrupt may have hit a query of ours in flight on the
    -- session's loopback, which is then busy: that one is dropped, and the engine is told on a fresh connection.
    -- The same interrupt can also land on this statement (it reaches the backend once more while the fresh
    -- connection is being made): a cancel the engine never hears of leaves the work running with nobody waiting,
    -- so try again, a bounded number of times.
    FOR _attempt IN 1 .. 3 LOOP
      BEGIN
        IF _conn = ANY (coalesce(iasql_engine.dblink_get_connections(), '{}')) THEN
          PERFORM iasql_engine.dblink_disconnect(_conn);
        END IF;
        PERFORM iasql_engine.loopback_connect(_conn);
        PERFORM iasql_engine.dblink_exec(_conn, format(
            'UPDATE public.iasql_operation SET'
            ' status = CASE status WHEN ''pending'' THEN ''cancelled'' ELSE ''cancelling'' END,'
            ' end_date = CASE status WHEN ''pending'' THEN clock_timestamp() END,'
            ' err = CASE status WHEN ''pending'' THEN jsonb_build_object(''code'', %L,'
            '   ''message'', ''cancelled before the engine picked it up'') END'
            ' WHERE opid = %L AND status IN (''pending'', ''running'')', '@CANCELLED@', _token));
        -- The ring session may be the one the interrupt hit: it is opened afresh too.
        IF 'iasql_ring' = ANY (coalesce(iasql_engine.dblink_get_connections(), '{}')) THEN
          PERFORM iasql_engine.dblink_disconnect('iasql_ring');
        END IF;
        IF _id IS NOT NULL THEN
          PERFORM iasql_engine.ring_engine('c', _id);
        END IF;
        EXIT;
      EXCEPTION WHEN query_canceled THEN
        IF _attempt = 3 THEN
          RAISE;
        END IF;
      END;
    END LOOP;
    -- Raised anew rather than re-raised: the interrupted statement (a lock wait, a dblink query) is the bridge's
    -- own business, not something to show in the caller's CONTEXT; the message says what stopped.
    RAISE EXCEPTION USING ERRCODE = 'query_canceled', MESSAGE = format(
        '%s: the %s call was stopped, and so is the engine''s work on it', SQLERRM, lower(_op)),
      HINT = 'SELECT status, err FROM iasql_operation ORDER BY id DESC LIMIT 1 shows where it ended';
  END;
  -- Read the outcome (itself, when it can: see the poll above). A secret part of it (a new password) is handed over
  -- once and cleared in the same statement, through the loopback.
  IF _fresh THEN
    SELECT o.status, o.output, o.err, o.progress, o.transient_output IS NOT NULL INTO _status, _output, _err, _progress,
      _secret FROM public.iasql_operation o WHERE o.id = _id;
  END IF;
  IF NOT _fresh OR _secret THEN
    SELECT t.status, t.output, t.err, t.progress INTO _status, _output, _err, _progress FROM iasql_engine.dblink(_conn,
        format('UPDATE public.iasql_operation o SET transient_output = NULL FROM ('
        ' SELECT id, status, coalesce(transient_output, output) AS output, err, progress FROM public.iasql_operation'
        ' WHERE id = %s FOR UPDATE) old WHERE o.id = old.id RETURNING old.status, old.output, old.err, old.progress',
        _id)) AS t(status text, output jsonb, err jsonb, progress jsonb);
  END IF;
  FOR _i IN _seen .. coalesce(jsonb_array_length(_progress), 0) - 1 LOOP
    RAISE NOTICE '%', _progress->>_i;
  END LOOP;
  -- The outcome goes back to the public function, which raises a reported error itself: one frame of CONTEXT
  -- under the message in psql instead of five.
  IF _status = 'done' THEN
    RETURN jsonb_build_object('output', coalesce(_output, '[]'::jsonb));
  ELSIF _status IN ('error', 'cancelled') THEN
    RETURN jsonb_build_object('err', coalesce(_err, jsonb_build_object('code', '@INTERNAL_ERROR@',
        'message', 'the engine reported an error without a message')));
  END IF;
  -- Claimed, yet nobody holds its lock and no outcome was written: the engine's session ended mid-call.
  PERFORM iasql_engine.dblink_exec(_conn, format(
      'UPDATE public.iasql_operation SET status = ''error'', end_date = clock_timestamp(),'
      ' err = jsonb_build_object(''code'', %L, ''message'', ''the engine stopped mid-call'')'
      ' WHERE id = %s AND status IN (''running'', ''cancelling'')', '@ENGINE_DIED@', _id));
  RAISE EXCEPTION 'the IaSQL engine stopped while running the % call', _op
    USING ERRCODE = '@ENGINE_DIED@',
          HINT = 'the call may have been partly done; see iasql_operation, then call it again once the engine is back';
END
$fn$;
REVOKE ALL ON FUNCTION iasql_engine.call(text, text[]) FROM PUBLIC;
