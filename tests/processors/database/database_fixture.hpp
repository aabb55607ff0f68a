// A real PostgreSQL (tests/integration/servers.py postgres) and a SQLite file for the database processors'
// tests, each with an independent client to set up tables and read back what the processors wrote:
// `psql` and the `sqlite3` shell.
#pragma once

#include <array>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>

#include <gtest/gtest.h>

#include "database_connection.hpp"
#include "server_fixture.hpp"
#include "sluice/testkit.hpp"

namespace sluice::database::testing {

// Runs a shell command; returns its standard output, throws when it fails.
inline std::string run_command(const std::string& command) {
  std::string out;
  FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) throw std::runtime_error("cannot run " + command);
  std::array<char, 4096> buffer{};
  while (std::fgets(buffer.data(), buffer.size(), pipe) != nullptr) out += buffer.data();
  if (::pclose(pipe) != 0) throw std::runtime_error(command + " failed: " + out);
  return out;
}

inline std::string shell_quote(const std::string& text) {
  std::string out = "'";
  for (const char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// A database the test talks to through the processors and through an independent client.
class TestDatabase {
 public:
  virtual ~TestDatabase() = default;
  // Runs SQL with the independent client; rows as lines, columns separated by '|'.
  virtual std::string sql(const std::string& statement) = 0;
  // The DatabaseConnection service's properties for it.
  [[nodiscard]] virtual std::map<std::string, std::string> service_properties() const = 0;
  [[nodiscard]] virtual std::string name() const = 0;
};

class Postgres final : public TestDatabase {
 public:
  std::string sql(const std::string& statement) override {
    return run_command("psql -X -q -A -t -v ON_ERROR_STOP=1 -h 127.0.0.1 -p " +
                       std::to_string(server_.integer("port")) + " -U postgres -d sluice -c " +
                       shell_quote(statement));
  }
  [[nodiscard]] std::map<std::string, std::string> service_properties() const override {
    return {
        {"driver", "postgresql"}, {"host", "127.0.0.1"}, {"port", std::to_string(server_.integer("port"))},
        {"database", "sluice"},   {"user", "postgres"},  {"password", "not-needed-but-secret"},
        {"sslmode", "disable"}};  // the test server has no TLS
  }
  [[nodiscard]] std::string name() const override { return "postgres"; }
  [[nodiscard]] int port() const { return server_.integer("port"); }

 private:
  sluice::testing::ServerFixture server_{{"postgres"}};
};

class Sqlite final : public TestDatabase {
 public:
  Sqlite() { sql("PRAGMA journal_mode=WAL"); }
  std::string sql(const std::string& statement) override {
    return run_command("sqlite3 -bail " + shell_quote(path_.string()) + " " + shell_quote(statement));
  }
  [[nodiscard]] std::map<std::string, std::string> service_properties() const override {
    return {{"driver", "sqlite"}, {"database", path_.string()}};
  }
  [[nodiscard]] std::string name() const override { return "sqlite"; }

 private:
  sluice::testing::ScratchDir dir_;
  std::filesystem::path path_ = dir_.path() / "test.db";
};

inline std::unique_ptr<TestDatabase> make_database(const std::string& name) {
  if (name == "postgres") return std::make_unique<Postgres>();
  return std::make_unique<Sqlite>();
}

// A test run once per database kind ("postgres", "sqlite"); one server per kind for the whole suite
// (each test uses its own tables).
class DatabaseTest : public ::testing::TestWithParam<std::string> {
 protected:
  static void TearDownTestSuite() { databases().clear(); }
  static std::map<std::string, std::unique_ptr<TestDatabase>>& databases() {
    static std::map<std::string, std::unique_ptr<TestDatabase>> all;
    return all;
  }
  TestDatabase& db() {
    auto& slot = databases()[GetParam()];
    if (!slot) slot = make_database(GetParam());
    return *slot;
  }
  [[nodiscard]] bool postgres() const { return GetParam() == "postgres"; }
};

inline std::string database_name(const ::testing::TestParamInfo<std::string>& param) {
  return param.param;
}

}  // namespace sluice::database::testing
