// QueryDatabaseTable against a real PostgreSQL and SQLite: rows added with the independent client between
// runs come out once, also across a restart (a fresh engine over the same data directory).
#include "query_database_table.hpp"

#include <map>
#include <memory>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "database_connection.hpp"
#include "database_fixture.hpp"
#include "json_services.hpp"
#include "server_fixture.hpp"
#include "sluice/testkit.hpp"

namespace sluice::database {
namespace {

using testkit::ProcessorRunner;

class QueryDatabaseTableTest : public testing::DatabaseTest {
 protected:
  std::unique_ptr<ProcessorRunner> runner(const std::map<std::string, std::string>& properties) {
    auto r = std::make_unique<ProcessorRunner>(query_database_table_definition());
    r->use_data_dir(data_.path());
    r->add_service("db", database_connection_definition(), db().service_properties());
    r->add_service("json", records::json_writer_definition(), {{"format", "lines"}});
    r->set_property("connection", "db").set_property("writer", "json");
    for (const auto& [k, v] : properties) r->set_property(k, v);
    return r;
  }
  // The ids in every FlowFile that came out, in order.
  static std::vector<std::int64_t> ids(const std::vector<testkit::OutputFlowFile>& out) {
    std::vector<std::int64_t> all;
    for (const auto& ff : out) {
      std::size_t start = 0;
      while (start < ff.content.size()) {
        const std::size_t end = ff.content.find('\n', start);
        all.push_back(
            nlohmann::json::parse(ff.content.substr(start, end - start)).at("id").get<std::int64_t>());
        start = end == std::string::npos ? ff.content.size() : end + 1;
      }
    }
    return all;
  }
  sluice::testing::ScratchDir data_;
};

TEST_P(QueryDatabaseTableTest, EmitsOnlyNewRowsAcrossARestart) {
  db().sql("CREATE TABLE events (id INTEGER PRIMARY KEY, meter TEXT, kwh DOUBLE PRECISION)");
  db().sql("INSERT INTO events VALUES (1, 'M-1', 1.5), (2, 'M-2', 2.5), (3, 'M-3', NULL)");
  {
    auto r = runner({{"table", "events"}, {"max_value_columns", "id"}, {"max_rows_per_flowfile", "2"}});
    r->run();
    const auto out = r->take("success");
    ASSERT_EQ(out.size(), 2U);  // 2 + 1 rows
    EXPECT_EQ(out[0].attribute("record.count"), "2");
    EXPECT_EQ(ids(out), (std::vector<std::int64_t>{1, 2, 3}));
    const auto first = nlohmann::json::parse(out[0].content.substr(0, out[0].content.find('\n')));
    EXPECT_EQ(first.at("meter"), "M-1");
    EXPECT_EQ(first.at("kwh"), 1.5);
    EXPECT_EQ(r->state("maxvalue.id"), "3");
    r->run();  // nothing new
    EXPECT_EQ(r->count("success"), 0U);
    EXPECT_TRUE(r->yielded());
    db().sql("INSERT INTO events VALUES (4, 'M-4', 4), (5, 'M-5', 5)");
    r->run();
    EXPECT_EQ(ids(r->take("success")), (std::vector<std::int64_t>{4, 5}));
  }
  db().sql("INSERT INTO events VALUES (6, 'M-6', 6)");
  auto restarted = runner({{"table", "events"}, {"max_value_columns", "id"}, {"max_rows_per_flowfile", "2"}});
  restarted->run();
  // Only the row added while it was down (the others were committed with the state before).
  EXPECT_EQ(ids(restarted->take("success")), (std::vector<std::int64_t>{6}));
  EXPECT_EQ(restarted->state("maxvalue.id"), "6");
}

TEST_P(QueryDatabaseTableTest, SeveralMaxValueColumnsOrderLikeOrderBy) {
  db().sql("CREATE TABLE versions (day TEXT, id INTEGER, v TEXT)");
  db().sql("INSERT INTO versions VALUES ('2024-03-01', 2, 'a'), ('2024-03-02', 1, 'b')");
  auto r = runner({{"table", "versions"}, {"max_value_columns", "day, id"}, {"columns", "id, v"}});
  r->run();
  EXPECT_EQ(ids(r->take("success")), (std::vector<std::int64_t>{2, 1}));
  // Same day, higher id; an earlier day (never emitted: below the mark).
  db().sql("INSERT INTO versions VALUES ('2024-03-02', 5, 'c'), ('2024-02-28', 9, 'late')");
  r->run();
  const auto out = r->take("success");
  EXPECT_EQ(ids(out), (std::vector<std::int64_t>{5}));
  ASSERT_EQ(out.size(), 1U);
  EXPECT_EQ(nlohmann::json::parse(out[0].content).at("day"), "2024-03-02");  // a max-value column is added
}

INSTANTIATE_TEST_SUITE_P(Databases, QueryDatabaseTableTest, ::testing::Values("postgres", "sqlite"),
                         testing::database_name);

}  // namespace
}  // namespace sluice::database
