// The connection pool over real SQLite connections: reuse, a bounded wait when all are in use, and a failed
// open that does not use up a slot.
#include "connection_pool.hpp"

#include <chrono>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "database_fixture.hpp"
#include "server_fixture.hpp"
#include "sqlite_driver.hpp"

namespace sluice::database {
namespace {

using ::testing::HasSubstr;

class ConnectionPoolTest : public ::testing::Test {
 protected:
  ConnectionPoolTest() { testing::run_command("sqlite3 " + path_ + " 'CREATE TABLE t (x INTEGER)'"); }
  ConnectionPool pool(std::size_t size) {
    return {[this] {
              ++opened_;
              return connect_sqlite(path_, std::chrono::milliseconds(100));
            },
            size, std::chrono::milliseconds(50)};
  }
  sluice::testing::ScratchDir dir_;
  std::string path_ = (dir_.path() / "pool.db").string();
  int opened_ = 0;
};

TEST_F(ConnectionPoolTest, ReusesAReturnedConnection) {
  auto p = pool(2);
  { auto lease = p.acquire(); }
  { auto lease = p.acquire(); }
  EXPECT_EQ(opened_, 1);
}

TEST_F(ConnectionPoolTest, WaitsABoundedTimeWhenAllAreInUse) {
  auto p = pool(1);
  auto held = p.acquire();
  try {
    auto second = p.acquire();
    FAIL() << "a second connection was handed out";
  } catch (const DatabaseError& e) {
    EXPECT_TRUE(e.transient());
    EXPECT_THAT(e.what(), HasSubstr("all 1 in use"));
  }
}

TEST_F(ConnectionPoolTest, AFailedOpenGivesItsSlotBack) {
  // A missing database file: opening fails, and the pool does not count the failed attempt as open.
  ConnectionPool broken([] { return connect_sqlite("/nonexistent/dir/x.db", std::chrono::milliseconds(10)); },
                        1, std::chrono::milliseconds(50));
  EXPECT_THROW((void)broken.acquire(), DatabaseError);
  try {
    (void)broken.acquire();
    FAIL() << "opened a missing database";
  } catch (const DatabaseError& e) {
    EXPECT_THAT(e.what(), HasSubstr("cannot open SQLite database"));  // not "all 1 in use"
  }
}

}  // namespace
}  // namespace sluice::database
