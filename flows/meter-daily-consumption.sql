-- The tables flows/meter-daily-consumption.yaml writes and serves (PostgreSQL 14 or later). Apply once:
--   psql "$METER_DB_URL" -f flows/meter-daily-consumption.sql
-- kWh are NUMERIC: sums of decimal readings are exact, whatever order files and rows arrive in.
CREATE TABLE IF NOT EXISTS meter_readings (
  meter_id     TEXT        NOT NULL,
  reading_time TIMESTAMPTZ NOT NULL,
  kwh          NUMERIC(12, 3) NOT NULL,
  PRIMARY KEY (meter_id, reading_time)
);
CREATE INDEX IF NOT EXISTS meter_readings_by_time ON meter_readings (reading_time);

CREATE TABLE IF NOT EXISTS daily_meter_consumption (
  day      DATE NOT NULL,
  meter_id TEXT NOT NULL,
  kwh      NUMERIC(14, 3) NOT NULL,
  PRIMARY KEY (day, meter_id)
);
CREATE TABLE IF NOT EXISTS daily_consumption (
  day       DATE NOT NULL PRIMARY KEY,
  total_kwh NUMERIC(16, 3) NOT NULL,
  meters    INTEGER NOT NULL
);

-- The hours (UTC) that received readings since the sums were last brought up to date: the flow recomputes
-- only the days they fall on, so each file costs the days it touches, not the whole history.
CREATE TABLE IF NOT EXISTS changed_hours (hour TIMESTAMPTZ PRIMARY KEY);
CREATE OR REPLACE FUNCTION note_changed_hour() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO changed_hours VALUES (date_trunc('hour', NEW.reading_time AT TIME ZONE 'UTC') AT TIME ZONE 'UTC')
    ON CONFLICT DO NOTHING;
  RETURN NEW;
END $$;
CREATE OR REPLACE TRIGGER meter_readings_changed AFTER INSERT OR UPDATE ON meter_readings
  FOR EACH ROW EXECUTE FUNCTION note_changed_hour();
