// The SQL surface: the four tables across every partition, pushed-down lookups, and clear errors for
// statements that are malformed or not allowed.
#include "provenance/sql.hpp"

#include <gtest/gtest.h>

#include "store_test_support.hpp"

namespace sluice::internal::provenance {
namespace {

using namespace testing_support;  // NOLINT(google-build-using-namespace): test helpers

constexpr std::int64_t kT0 = 1'700'000'000'000;

class SqlTest : public ::testing::Test {
 protected:
  SqlTest() {
    auto settings = store_settings(dir_.path());
    settings.partition_span = std::chrono::minutes(1);
    StoreWriter w(settings, kT0);
    // 12 partitions (one a minute), so that queries span more than SQLite's limit of attached databases.
    std::uint64_t id = 1;
    for (int p = 0; p < 12; ++p) {
      const std::int64_t t = kT0 + p * 120'000;
      for (int i = 0; i < 3; ++i) {
        TestEvent create;
        create.uuid = random_uuid();
        create.time_ms = t + i;
        create.attributes = {{"filename", "f" + std::to_string(id) + ".csv"}};
        create.content_length = 100;
        uuids_.push_back(create.uuid);
        w.append(id++, 1, section("gen", {create}, "GenerateFlowFile"), t + i);
      }
    }
    // A split: parent -> two children, then a send of the first child.
    parent_ = uuids_[0];
    child_a_ = random_uuid();
    child_b_ = random_uuid();
    TestEvent fork;
    fork.type = EventType::kFork;
    fork.uuid = parent_;
    fork.parents = {parent_};
    fork.children = {child_a_, child_b_};
    fork.time_ms = kT0 + 30 * 60'000;
    fork.attributes = {{"filename", "f1.csv"}};
    TestEvent send;
    send.type = EventType::kSend;
    send.uuid = child_a_;
    send.time_ms = fork.time_ms + 5;
    send.transit_uri = "sftp://host/in/f1.csv";
    send.attributes = {{"filename", "f1.csv"}, {"part", "0"}};
    w.append(id, 2, section("split", {fork, send}, "SplitText"), fork.time_ms);
    w.flush();
  }

  struct Result {
    std::vector<std::string> columns;
    std::vector<std::vector<std::string>> rows;
  };
  Result sql(std::string_view text) {
    const StoreReader store(dir_.path());
    SqlSession session(store);
    Result r;
    session.execute(
        text, [&](const std::vector<std::string>& names) { r.columns = names; },
        [&](std::span<const SqlValue> row) {
          std::vector<std::string> cells;
          for (const SqlValue& v : row) {
            switch (v.type) {
              case SqlValue::Type::kInteger: cells.push_back(std::to_string(v.integer)); break;
              case SqlValue::Type::kText: cells.emplace_back(v.text); break;
              case SqlValue::Type::kNull: cells.emplace_back("NULL"); break;
              default: cells.emplace_back("?");
            }
          }
          r.rows.push_back(std::move(cells));
        });
    return r;
  }
  std::string error_of(std::string_view text) {
    try {
      sql(text);
    } catch (const SqlError& e) {
      return e.what();
    }
    return "no error";
  }

  TempDir dir_;
  std::vector<Uuid> uuids_;
  Uuid parent_{};
  Uuid child_a_{};
  Uuid child_b_{};
};

TEST_F(SqlTest, TablesSpanEveryPartition) {
  const auto count = sql("SELECT count(*), min(event_id), max(event_id) FROM events");
  ASSERT_EQ(count.rows.size(), 1u);
  EXPECT_EQ(count.rows[0], (std::vector<std::string>{"38", "1", "38"}));
  const auto by_type = sql("SELECT type, count(*) FROM events GROUP BY type ORDER BY type");
  EXPECT_EQ(by_type.rows,
            (std::vector<std::vector<std::string>>{{"CREATE", "36"}, {"FORK", "1"}, {"SEND", "1"}}));
  const auto columns = sql("SELECT * FROM events WHERE event_id = 38");
  EXPECT_EQ(columns.columns,
            (std::vector<std::string>{"event_id", "event_time", "type", "flowfile_uuid", "component_id",
                                      "component_type", "relationship", "transit_uri", "size", "details",
                                      "lineage_start", "entry_date", "source_queue", "previous_size"}));
  ASSERT_EQ(columns.rows.size(), 1u);
  EXPECT_EQ(columns.rows[0][2], "SEND");
  EXPECT_EQ(columns.rows[0][3], uuid_to_string(child_a_));
  EXPECT_EQ(columns.rows[0][4], "split");
  EXPECT_EQ(columns.rows[0][5], "SplitText");
  EXPECT_EQ(columns.rows[0][7], "sftp://host/in/f1.csv");
  EXPECT_EQ(columns.rows[0][9], "NULL");
}

TEST_F(SqlTest, LookupsJoinsAndOrder) {
  const std::string parent = uuid_to_string(parent_);
  const auto children =
      sql("SELECT c.flowfile_uuid FROM events e JOIN event_children c ON c.event_id = e.event_id "
          "WHERE e.flowfile_uuid = '" +
          parent + "' AND e.type = 'FORK' ORDER BY 1");
  std::vector<std::string> expected{uuid_to_string(child_a_), uuid_to_string(child_b_)};
  std::sort(expected.begin(), expected.end());
  ASSERT_EQ(children.rows.size(), 2u);
  EXPECT_EQ(children.rows[0][0], expected[0]);
  EXPECT_EQ(children.rows[1][0], expected[1]);

  const auto parents = sql("SELECT event_id FROM event_parents WHERE flowfile_uuid = '" + parent + "'");
  EXPECT_EQ(parents.rows, (std::vector<std::vector<std::string>>{{"37"}}));

  const auto newest = sql("SELECT event_id FROM events ORDER BY event_id DESC LIMIT 3");
  EXPECT_EQ(newest.rows, (std::vector<std::vector<std::string>>{{"38"}, {"37"}, {"36"}}));

  const auto attrs = sql("SELECT name, value_before, value_after FROM event_attributes WHERE event_id = 38");
  EXPECT_EQ(attrs.rows,
            (std::vector<std::vector<std::string>>{{"filename", "f1.csv", "f1.csv"}, {"part", "0", "0"}}));
  const auto by_attribute =
      sql("SELECT event_id FROM event_attributes WHERE name = 'filename' AND value_after = 'f7.csv'");
  EXPECT_EQ(by_attribute.rows, (std::vector<std::vector<std::string>>{{"7"}}));

  const auto window = sql("SELECT count(*) FROM events WHERE event_time >= " + std::to_string(kT0 + 120'000) +
                          " AND event_time < " + std::to_string(kT0 + 240'000));
  EXPECT_EQ(window.rows[0][0], "3");
  const auto like = sql("SELECT count(*) FROM events WHERE transit_uri LIKE 'sftp://%'");
  EXPECT_EQ(like.rows[0][0], "1");
  const auto in_list = sql("SELECT event_id FROM events WHERE event_id IN (2, 25, 99) ORDER BY event_id");
  EXPECT_EQ(in_list.rows, (std::vector<std::vector<std::string>>{{"2"}, {"25"}}));
  const auto no_match = sql("SELECT count(*) FROM events WHERE flowfile_uuid = 'not a uuid'");
  EXPECT_EQ(no_match.rows[0][0], "0");
}

TEST_F(SqlTest, MalformedAndForbiddenStatementsSayWhy) {
  EXPECT_EQ(error_of("SELEC * FROM events"), "sql:1:1: near \"SELEC\": syntax error");
  EXPECT_EQ(error_of("SELECT *\nFROM events\nWHERE event_id = = 3"), "sql:3:18: near \"=\": syntax error");
  EXPECT_EQ(error_of("SELECT * FROM nope"), "sql: no such table: nope");
  EXPECT_EQ(error_of("SELECT nope FROM events"), "sql:1:8: no such column: nope");
  EXPECT_NE(error_of("DELETE FROM events").find("read-only"), std::string::npos)
      << error_of("DELETE FROM events");
  EXPECT_NE(error_of("ATTACH DATABASE '/tmp/x.db' AS x").find("read-only"), std::string::npos);
  EXPECT_NE(error_of("PRAGMA table_info(events)").find("read-only"), std::string::npos);
  EXPECT_NE(error_of("CREATE TABLE t(x)").find("read-only"), std::string::npos);
  EXPECT_EQ(error_of("  -- nothing\n"), "sql: no statement to run");
}

}  // namespace
}  // namespace sluice::internal::provenance
