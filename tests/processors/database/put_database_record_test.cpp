// PutDatabaseRecord against a real PostgreSQL and a real SQLite file: records in through the CSV reader,
// read back with psql and the sqlite3 shell; one transaction per FlowFile; refused rows, unreachable
// servers and hostile names.
#include "put_database_record.hpp"

#include <map>
#include <memory>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "csv_services.hpp"
#include "database_connection.hpp"
#include "database_fixture.hpp"
#include "server_fixture.hpp"
#include "sluice/testkit.hpp"

namespace sluice::database {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using testkit::ProcessorRunner;

class PutDatabaseRecordTest : public testing::DatabaseTest {
 protected:
  // A runner wired to the database and a CSV reader.
  std::unique_ptr<ProcessorRunner> runner(const std::map<std::string, std::string>& properties) {
    auto r = std::make_unique<ProcessorRunner>(put_database_record_definition());
    r->add_service("db", database_connection_definition(), db().service_properties());
    r->add_service("csv", records::csv_reader_definition());
    r->set_property("connection", "db").set_property("reader", "csv");
    for (const auto& [k, v] : properties) r->set_property(k, v);
    return r;
  }
};

TEST_P(PutDatabaseRecordTest, InsertsRecordsThatAnIndependentClientReadsBack) {
  db().sql(
      "CREATE TABLE readings (id INTEGER PRIMARY KEY, meter TEXT NOT NULL, kwh DOUBLE PRECISION, note TEXT)");
  auto r = runner({{"table", "readings"}});
  r->enqueue("id,meter,kwh,note\n1,M-1,12.5,first\n2,M-2,0.25,\n3,M-3,7,\"with, comma\"\n");
  r->run();
  const auto out = r->take("success");
  ASSERT_EQ(out.size(), 1U) << (r->count("failure") ? r->take("failure")[0].attribute("database.error") : "");
  EXPECT_EQ(out[0].attribute("database.record.count"), "3");
  EXPECT_EQ(out[0].attribute("database.rows.affected"), "3");
  EXPECT_EQ(db().sql("SELECT id, meter, kwh, note FROM readings ORDER BY id"),
            "1|M-1|12.5|first\n2|M-2|0.25|\n3|M-3|7" + std::string(GetParam() == "sqlite" ? ".0" : "") +
                "|with, comma\n");
}

TEST_P(PutDatabaseRecordTest, UpsertInsertsNewRowsAndUpdatesExistingOnes) {
  db().sql("CREATE TABLE daily (meter TEXT, day TEXT, kwh DOUBLE PRECISION, PRIMARY KEY (meter, day))");
  db().sql("INSERT INTO daily VALUES ('M-1', '2024-03-01', 1.5), ('M-2', '2024-03-01', 9)");
  auto r = runner({{"table", "daily"}, {"statement_type", "UPSERT"}, {"key_columns", "meter, day"}});
  r->enqueue("meter,day,kwh\nM-1,2024-03-01,2.5\nM-3,2024-03-01,4.5\n");
  r->enqueue("meter,day,kwh\nM-1,2024-03-01,3.5\n");  // a second upsert of the same key: the last one wins
  r->run();
  ASSERT_EQ(r->take("success").size(), 2U);
  EXPECT_EQ(db().sql("SELECT meter, kwh FROM daily ORDER BY meter"),
            "M-1|3.5\nM-2|9" + std::string(GetParam() == "sqlite" ? ".0" : "") + "\nM-3|4.5\n");
}

TEST_P(PutDatabaseRecordTest, UpdatesAndDeletesByKeyColumns) {
  db().sql("CREATE TABLE meters (id INTEGER PRIMARY KEY, status TEXT)");
  db().sql("INSERT INTO meters VALUES (1, 'new'), (2, 'new'), (3, 'new')");
  auto update = runner({{"table", "meters"}, {"statement_type", "UPDATE"}, {"key_columns", "id"}});
  update->enqueue("id,status\n2,active\n3,retired\n9,none\n");  // 9 matches nothing
  update->run();
  const auto updated = update->take("success");
  ASSERT_EQ(updated.size(), 1U);
  EXPECT_EQ(updated[0].attribute("database.rows.affected"), "2");
  auto remove = runner({{"table", "meters"}, {"statement_type", "DELETE"}, {"key_columns", "id"}});
  remove->enqueue("id\n3\n");
  remove->run();
  ASSERT_EQ(remove->take("success").size(), 1U);
  EXPECT_EQ(db().sql("SELECT id, status FROM meters ORDER BY id"), "1|new\n2|active\n");
}

TEST_P(PutDatabaseRecordTest, ARefusedRowRollsBackTheWholeFlowFileAndSaysWhichRecord) {
  db().sql("CREATE TABLE strict_readings (id INTEGER PRIMARY KEY, meter TEXT NOT NULL)");
  auto r = runner({{"table", "strict_readings"}});
  r->enqueue("id,meter\n1,M-1\n2,M-2\n2,M-dup\n4,M-4\n");  // record 3 repeats the key
  r->enqueue("id,meter\n10,M-10\n");
  r->run();
  const auto failed = r->take("failure");
  ASSERT_EQ(failed.size(), 1U);
  EXPECT_THAT(failed[0].attribute("database.error"), HasSubstr("record 3"));
  EXPECT_THAT(failed[0].attribute("database.error"), HasSubstr("line 4"));
  EXPECT_THAT(failed[0].attribute("database.error"),
              HasSubstr(GetParam() == "postgres" ? "duplicate key" : "UNIQUE constraint failed"));
  EXPECT_EQ(failed[0].content, "id,meter\n1,M-1\n2,M-2\n2,M-dup\n4,M-4\n");   // untouched
  ASSERT_EQ(r->take("success").size(), 1U);                                   // the next FlowFile goes on
  EXPECT_EQ(db().sql("SELECT id FROM strict_readings ORDER BY id"), "10\n");  // nothing of the bad one
}

TEST_P(PutDatabaseRecordTest, ARefusedRowFarIntoABigBatchIsNamedAndNothingIsKept) {
  // Far past the first pipelined window (kMaxInFlight rows), so its results are read at a later sync point.
  db().sql("CREATE TABLE big (id INTEGER PRIMARY KEY)");
  std::string csv = "id\n";
  for (int i = 1; i <= 1500; ++i) csv += std::to_string(i == 1234 ? 7 : i) + "\n";  // record 1234 repeats 7
  auto r = runner({{"table", "big"}});
  r->enqueue(csv);
  r->enqueue("id\n1\n2\n");
  r->run();
  const auto failed = r->take("failure");
  ASSERT_EQ(failed.size(), 1U);
  EXPECT_THAT(failed[0].attribute("database.error"), HasSubstr("(record 1234)"));
  const auto ok = r->take("success");
  ASSERT_EQ(ok.size(), 1U);  // the same pooled connection goes on cleanly
  EXPECT_EQ(db().sql("SELECT count(*) FROM big"), "2\n");
}

TEST_P(PutDatabaseRecordTest, UnmatchedFieldsAreIgnoredOrFailAsConfigured) {
  db().sql("CREATE TABLE narrow (id INTEGER, Meter TEXT)");
  auto ignoring = runner({{"table", "narrow"}});
  ignoring->enqueue("ID,meter,extra\n1,M-1,x\n");  // names match ignoring case
  ignoring->run();
  ASSERT_EQ(ignoring->take("success").size(), 1U);
  auto failing = runner({{"table", "narrow"}, {"unmatched_fields", "fail"}});
  failing->enqueue("id,meter,extra\n2,M-2,x\n");
  failing->run();
  const auto failed = failing->take("failure");
  ASSERT_EQ(failed.size(), 1U);
  EXPECT_THAT(failed[0].attribute("database.error"), HasSubstr("field 'extra' has no column"));
  EXPECT_EQ(db().sql("SELECT id, Meter FROM narrow"), "1|M-1\n");
}

TEST_P(PutDatabaseRecordTest, NamesAreQuotedAndValuesBoundSoNothingIsInjected) {
  db().sql(R"(CREATE TABLE "odd ""table""" ("select" TEXT, "from" TEXT))");
  db().sql("CREATE TABLE victims (x INTEGER)");
  auto r = runner({{"table", "odd \"table\""}});
  r->enqueue("select,from\n\"x'); DROP TABLE victims; --\",\"a\"\"b\"\n");
  r->run();
  ASSERT_EQ(r->take("success").size(), 1U);
  EXPECT_EQ(db().sql("SELECT \"select\", \"from\" FROM \"odd \"\"table\"\"\""),
            "x'); DROP TABLE victims; --|a\"b\n");
  EXPECT_EQ(db().sql("SELECT count(*) FROM victims"), "0\n");  // still there
}

TEST_P(PutDatabaseRecordTest, AMissingTableGoesToFailure) {
  auto r = runner({{"table", "no_such_table"}});
  r->enqueue("id\n1\n");
  r->run();
  const auto failed = r->take("failure");
  ASSERT_EQ(failed.size(), 1U);
  EXPECT_THAT(failed[0].attribute("database.error"), HasSubstr("no_such_table does not exist"));
}

INSTANTIATE_TEST_SUITE_P(Databases, PutDatabaseRecordTest, ::testing::Values("postgres", "sqlite"),
                         testing::database_name);

// Runs one FlowFile through a PutDatabaseRecord whose DatabaseConnection has `service`; returns what went to
// retry, and the runner's logs in `logs`.
std::vector<testkit::OutputFlowFile> retried_with(const std::map<std::string, std::string>& service,
                                                  std::vector<testkit::LogEntry>& logs) {
  ProcessorRunner r(put_database_record_definition());
  r.add_service("db", database_connection_definition(), service);
  r.add_service("csv", records::csv_reader_definition());
  r.set_property("connection", "db").set_property("reader", "csv").set_property("table", "t");
  r.enqueue("id\n1\n");
  r.run();
  logs = r.logs();
  return r.take("retry");
}

TEST(PutDatabaseRecordPostgresTest, AnUnreachableServerSendsToRetryWithoutTheSecret) {
  std::vector<testkit::LogEntry> logs;
  const auto retried = retried_with({{"host", "127.0.0.1"},
                                     {"port", std::to_string(sluice::testing::unused_port())},
                                     {"database", "sluice"},
                                     {"user", "postgres"},
                                     {"password", "s3cret-Pa55"},
                                     {"sslmode", "disable"},
                                     {"connect_timeout", "2 s"}},
                                    logs);
  ASSERT_EQ(retried.size(), 1U);
  EXPECT_THAT(retried[0].attribute("database.error"), HasSubstr("cannot connect to PostgreSQL"));
  for (const auto& [name, value] : retried[0].attributes)
    EXPECT_THAT(value, Not(HasSubstr("s3cret-Pa55"))) << name;
  for (const auto& entry : logs) EXPECT_THAT(entry.message, Not(HasSubstr("s3cret-Pa55")));
}

TEST(PutDatabaseRecordPostgresTest, TlsIsVerifiedByDefault) {
  testing::Postgres pg;  // a server without TLS: the default sslmode (verify-full) refuses to talk to it
  auto properties = pg.service_properties();
  properties.erase("sslmode");
  std::vector<testkit::LogEntry> logs;
  const auto retried = retried_with(properties, logs);
  ASSERT_EQ(retried.size(), 1U);
  EXPECT_THAT(retried[0].attribute("database.error"), HasSubstr("SSL"));
}

}  // namespace
}  // namespace sluice::database
