// ExecuteSQL against a real PostgreSQL and SQLite: parameters from expressions over the incoming
// FlowFile's attributes, typed results written as records, errors routed with the database's message.
#include "execute_sql.hpp"

#include <map>
#include <memory>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "database_connection.hpp"
#include "database_fixture.hpp"
#include "json_services.hpp"
#include "sluice/testkit.hpp"

namespace sluice::database {
namespace {

using ::testing::HasSubstr;
using testkit::ProcessorRunner;

class ExecuteSqlTest : public testing::DatabaseTest {
 protected:
  std::unique_ptr<ProcessorRunner> runner(const std::map<std::string, std::string>& properties) {
    auto r = std::make_unique<ProcessorRunner>(execute_sql_definition());
    r->add_service("db", database_connection_definition(), db().service_properties());
    r->add_service("json", records::json_writer_definition());
    r->set_property("connection", "db").set_property("writer", "json");
    for (const auto& [k, v] : properties) r->set_property(k, v);
    return r;
  }
};

TEST_P(ExecuteSqlTest, BindsParametersFromAttributesAndWritesTypedRecords) {
  db().sql(postgres()
               ? "CREATE TABLE daily (meter TEXT, day DATE, kwh DOUBLE PRECISION, n BIGINT, ok BOOLEAN, "
                 "at TIMESTAMPTZ, total NUMERIC(10,2))"
               : "CREATE TABLE daily (meter TEXT, day DATE, kwh DOUBLE PRECISION, n BIGINT, ok BOOLEAN, "
                 "at TIMESTAMP, total TEXT)");
  db().sql(
      postgres()
          ? "INSERT INTO daily VALUES ('M-1', '2024-03-01', 12.5, 24, true, '2024-03-01 10:00:00+00', 12.50),"
            "('M-1', '2024-03-02', 3.25, 24, false, NULL, 3.25), ('M-2', '2024-03-01', 1, 1, true, NULL, 1)"
          : "INSERT INTO daily VALUES ('M-1', '2024-03-01', 12.5, 24, 1, '2024-03-01 10:00:00', '12.50'),"
            "('M-1', '2024-03-02', 3.25, 24, 0, NULL, '3.25'), ('M-2', '2024-03-01', 1, 1, 1, NULL, '1')");
  auto r = runner({{"sql",
                    "SELECT day, kwh, n, ok, at, total FROM daily WHERE meter = ? AND kwh > ? -- why '?'\n"
                    "ORDER BY day"},
                   {"param.1", "${meter}"},
                   {"param.2", "${min}"}});
  r->enqueue("request", {{"meter", "M-1"}, {"min", "1"}});
  r->run();
  const auto out = r->take("success");
  ASSERT_EQ(out.size(), 1U) << (r->count("failure") ? r->take("failure")[0].attribute("executesql.error")
                                                    : "");
  EXPECT_EQ(out[0].attribute("record.count"), "2");
  EXPECT_EQ(out[0].attribute("meter"), "M-1");  // a child of the request
  const auto rows = nlohmann::json::parse(out[0].content);
  ASSERT_EQ(rows.size(), 2U);
  EXPECT_EQ(rows[0].at("day"), "2024-03-01");
  EXPECT_EQ(rows[0].at("kwh"), 12.5);
  EXPECT_EQ(rows[0].at("n"), 24);
  EXPECT_EQ(rows[0].at("ok"), true);
  EXPECT_EQ(rows[1].at("ok"), false);
  EXPECT_THAT(rows[0].at("at").get<std::string>(), HasSubstr("2024-03-01T10:00:00"));
  EXPECT_TRUE(rows[1].at("at").is_null());
  // numeric(10,2) is a decimal, written without loss; SQLite's TEXT column stays a string.
  EXPECT_THAT(out[0].content, HasSubstr(postgres() ? "\"total\":12.50" : "\"total\":\"12.50\""));
  EXPECT_EQ(r->take("original").size(), 1U);
}

TEST_P(ExecuteSqlTest, AnEmptyResultStillAnswersAndErrorsGoToFailure) {
  db().sql("CREATE TABLE empty_table (id INTEGER)");
  auto r = runner({{"sql", "SELECT id FROM empty_table WHERE id = ?"}, {"param.1", "${id}"}});
  r->enqueue("", {{"id", "7"}});
  r->run();
  const auto out = r->take("success");
  ASSERT_EQ(out.size(), 1U);
  EXPECT_EQ(out[0].attribute("record.count"), "0");
  EXPECT_EQ(nlohmann::json::parse(out[0].content).size(), 0U);

  auto bad = runner({{"sql", "SELECT nope FROM empty_table"}});
  bad->enqueue("");
  bad->run();
  const auto failed = bad->take("failure");
  ASSERT_EQ(failed.size(), 1U);
  EXPECT_THAT(failed[0].attribute("executesql.error"), HasSubstr("nope"));
  EXPECT_EQ(bad->count("success"), 0U);
}

TEST_P(ExecuteSqlTest, AnErrorHalfWayThroughTheRowsLeavesNoPartialResult) {
  // The third row fails after two were streamed into FlowFiles of their own.
  auto r = runner({{"sql", postgres() ? "SELECT x, 1 / (3 - x) AS y FROM generate_series(1, 5) x"
                                      : "SELECT x, abs(x) FROM (SELECT 1 AS x UNION ALL SELECT 2 "
                                        "UNION ALL SELECT -9223372036854775807 - 1)"},
                   {"max_rows_per_flowfile", "1"}});
  r->enqueue("request");
  r->run();
  const auto failed = r->take("failure");
  ASSERT_EQ(failed.size(), 1U);
  EXPECT_THAT(failed[0].attribute("executesql.error"),
              HasSubstr(postgres() ? "division by zero" : "overflow"));
  EXPECT_EQ(r->count("success"), 0U);
  EXPECT_EQ(r->count("original"), 0U);
}

TEST_P(ExecuteSqlTest, RunsOnItsScheduleWithoutInput) {
  db().sql("CREATE TABLE counters (id INTEGER)");
  db().sql("INSERT INTO counters VALUES (1), (2), (3)");
  auto r = runner({{"sql", "SELECT id FROM counters ORDER BY id"},
                   {"run_on_schedule", "true"},
                   {"max_rows_per_flowfile", "2"}});
  r->run();
  const auto out = r->take("success");
  ASSERT_EQ(out.size(), 2U);
  EXPECT_EQ(out[0].attribute("executesql.row.count"), "3");
  EXPECT_EQ(nlohmann::json::parse(out[1].content).at(0).at("id"), 3);
}

TEST_P(ExecuteSqlTest, AParameterWithoutItsPropertyIsRefusedAtSchedule) {
  auto r = runner({{"sql", "SELECT ? , ?"}, {"param.1", "x"}});
  r->enqueue("");
  EXPECT_THROW(r->run(), std::runtime_error);
}

TEST_P(ExecuteSqlTest, AJsonObjectWriterAnswersOneRowAsOneObject) {
  db().sql("CREATE TABLE totals (day TEXT, total_kwh DOUBLE PRECISION, meters INTEGER)");
  db().sql("INSERT INTO totals VALUES ('2024-03-01', 12.5, 3)");
  auto r = std::make_unique<ProcessorRunner>(execute_sql_definition());
  r->add_service("db", database_connection_definition(), db().service_properties());
  r->add_service("json", records::json_writer_definition(), {{"format", "object"}});
  r->set_property("connection", "db").set_property("writer", "json");
  r->set_property("sql", "SELECT day AS date, total_kwh, meters FROM totals WHERE day = ?")
      .set_property("param.1", "${day}");
  r->enqueue("", {{"day", "2024-03-01"}});
  r->enqueue("", {{"day", "2024-03-02"}});
  r->run();
  const auto out = r->take("success");
  ASSERT_EQ(out.size(), 2U);
  EXPECT_EQ(out[0].content, "{\"date\":\"2024-03-01\",\"total_kwh\":12.5,\"meters\":3}\n");
  EXPECT_EQ(out[0].attribute("mime.type"), "application/json");
  EXPECT_EQ(out[1].content, "");  // no row, no object: the flow routes on executesql.row.count
  EXPECT_EQ(out[1].attribute("executesql.row.count"), "0");
}

TEST_P(ExecuteSqlTest, AStatementWithoutAResultSetRunsAndGivesNoRecords) {
  db().sql("CREATE TABLE sums (day TEXT PRIMARY KEY, kwh DOUBLE PRECISION)");
  auto r = runner(
      {{"sql", "INSERT INTO sums (day, kwh) VALUES (?, ?)"}, {"param.1", "${day}"}, {"param.2", "2.5"}});
  r->enqueue("", {{"day", "2024-03-01"}});
  r->run();
  ASSERT_EQ(r->count("failure"), 0U) << r->take("failure")[0].attribute("executesql.error");
  const auto out = r->take("success");
  ASSERT_EQ(out.size(), 1U);
  EXPECT_EQ(out[0].attribute("executesql.row.count"), "0");
  EXPECT_EQ(r->take("original").size(), 1U);
  EXPECT_EQ(db().sql("SELECT kwh FROM sums WHERE day = '2024-03-01'"), "2.5\n");
}

INSTANTIATE_TEST_SUITE_P(Databases, ExecuteSqlTest, ::testing::Values("postgres", "sqlite"),
                         testing::database_name);

}  // namespace
}  // namespace sluice::database
