-- The tables flows/meter-daily-consumption.yaml writes and serves (PostgreSQL). Apply once:
--   psql "$METER_DB_URL" -f flows/meter-daily-consumption.sql
-- kWh are NUMERIC: sums of decimal readings are exact, whatever order files and rows arrive in.
CREATE TABLE IF NOT EXISTS meter_readings (
  meter_id     TEXT        NOT NULL,
  reading_time TIMESTAMPTZ NOT NULL,
  kwh          NUMERIC(12, 3) NOT NULL,
  PRIMARY KEY (meter_id, reading_time)
);
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
