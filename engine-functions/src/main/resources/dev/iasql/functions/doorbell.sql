-- The engine's doorbell, in the metadata database only: every database's functions ring it here (see ring_engine in
-- bridge.sql), and each engine LISTENs here on one session for all the databases it serves. That session holds, per
-- database served, an exclusive advisory lock (class @PRESENCE_CLASS@, the database's oid): the presence a caller
-- asks for; one engine serves a database at a time. It also holds, shared, the lock that says an engine runs
-- (@ENGINE_ALIVE_CLASS@, @ENGINE_ALIVE_ID@).
-- A ring role rings for its own database only: the database is found from the role, never taken from the caller.
-- Returns true when an engine serves the database; NULL when none does but one runs, which is then told (a NOTIFY
-- 'o') to take the database over at once; false when no engine runs.
-- The database a session rings for: a ring role's own (found from the role, never taken from the caller), or the
-- metadata database's, for its own calls through its loopback as the admin (its owner, when no superuser); else NULL.
CREATE OR REPLACE FUNCTION iasql_engine.ringing_database() RETURNS text
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $fn$
DECLARE
  _db text;
BEGIN
  IF right(session_user::text, 5) = '_ring' THEN
    SELECT d.pg_name INTO _db FROM public.iasql_database d WHERE d.pg_user = left(session_user::text, -5);
  ELSIF (SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = session_user)
      OR (SELECT d.datdba = r.oid FROM pg_catalog.pg_database d, pg_catalog.pg_roles r
          WHERE d.datname = current_database() AND r.rolname = session_user) THEN
    _db := current_database();
  END IF;
  RETURN _db;
END
$fn$;
REVOKE ALL ON FUNCTION iasql_engine.ringing_database() FROM PUBLIC;

-- The progress lines of the calls running now, written here by the engine as they happen, on its metadata
-- connections: a call so needs one connection to its own database, not a second for its progress (the engine's share
-- of the cluster's sessions went to busy databases' second connections, and an idle one's call waited for a first).
-- Each call's caller reads its own lines (progress_of) through its ring; the engine writes them into the call's row
-- with its outcome, then removes them here. Unlogged: nothing here needs to survive a crash.
-- Known by the database's oid, not its name: a name dropped and made again (by another tenant) starts its ids anew.
CREATE UNLOGGED TABLE IF NOT EXISTS iasql_engine.progress (
  database oid NOT NULL,
  id bigint NOT NULL,
  n integer NOT NULL,
  line text NOT NULL,
  at timestamptz NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY (database, id, n)
);
REVOKE ALL ON iasql_engine.progress FROM PUBLIC;

-- The progress lines after the first _seen of call _id of the ringing session's database.
CREATE OR REPLACE FUNCTION iasql_engine.progress_of(_id bigint, _seen integer) RETURNS TABLE (n integer, line text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $fn$
  SELECT p.n, p.line FROM iasql_engine.progress p
  WHERE p.database = (SELECT d.oid FROM pg_catalog.pg_database d WHERE d.datname = iasql_engine.ringing_database())
    AND p.id = _id AND p.n > _seen ORDER BY p.n
$fn$;
REVOKE ALL ON FUNCTION iasql_engine.progress_of(bigint, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION iasql_engine.progress_of(bigint, integer) TO @RINGERS@;

CREATE OR REPLACE FUNCTION iasql_engine.doorbell(_kind text, _id bigint) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $fn$
DECLARE
  _db text;
  _key bigint;
BEGIN
  IF _kind IS NULL OR _kind NOT IN ('p', 'r', 'c') OR _id IS NULL OR _id < 0 THEN
    RAISE EXCEPTION 'not a ring: % %', _kind, _id USING ERRCODE = '@INVALID_ARGUMENT@';
  END IF;
  _db := iasql_engine.ringing_database();
  IF _db IS NULL THEN
    RAISE EXCEPTION 'role % rings for no database', session_user USING ERRCODE = '@INVALID_ARGUMENT@';
  END IF;
  SELECT (@PRESENCE_CLASS@::bigint << 32) | d.oid::bigint INTO _key FROM pg_catalog.pg_database d
  WHERE d.datname = _db;
  IF _key IS NULL THEN
    RETURN false;
  END IF;
  IF pg_try_advisory_lock(_key) THEN
    PERFORM pg_advisory_unlock(_key);
    -- Read from pg_locks, not tried: two callers trying at once would each see the other's try as an engine.
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_locks l WHERE l.locktype = 'advisory' AND l.granted
        AND l.database = (SELECT d.oid FROM pg_catalog.pg_database d WHERE d.datname = current_database())
        AND l.classid = @ENGINE_ALIVE_CLASS@ AND l.objid = @ENGINE_ALIVE_ID@ AND l.objsubid = 2) THEN
      RETURN false;
    END IF;
    PERFORM pg_notify('iasql_ring', 'o:0:' || _db);
    RETURN NULL;
  END IF;
  IF _kind <> 'p' THEN
    PERFORM pg_notify('iasql_ring', _kind || ':' || _id || ':' || _db);
  END IF;
  RETURN true;
END
$fn$;
REVOKE ALL ON FUNCTION iasql_engine.doorbell(text, bigint) FROM PUBLIC;
GRANT USAGE ON SCHEMA iasql_engine TO @RINGERS@;
GRANT EXECUTE ON FUNCTION iasql_engine.doorbell(text, bigint) TO @RINGERS@;
-- The ring roles reach this schema for the doorbell only: dblink, installed here for the metadata database's own
-- calls, is the admin's alone.
DO $do$
DECLARE
  _f text;
BEGIN
  FOR _f IN SELECT p.oid::regprocedure::text FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_depend d ON d.objid = p.oid
      AND d.classid = 'pg_catalog.pg_proc'::regclass AND d.deptype = 'e' JOIN pg_catalog.pg_extension e
      ON e.oid = d.refobjid WHERE e.extname = 'dblink'
      -- a non-superuser admin revokes only its own grants (template1's dblink is the superuser's)
      AND pg_catalog.has_function_privilege(p.oid, 'EXECUTE WITH GRANT OPTION') LOOP
    EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', _f);
  END LOOP;
END $do$;
