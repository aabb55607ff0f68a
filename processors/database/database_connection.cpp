#include "database_connection.hpp"

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "connection_pool.hpp"
#include "database_service.hpp"
#include "postgres_driver.hpp"
#include "spec_helpers.hpp"
#include "sqlite_driver.hpp"

namespace sluice::database {

namespace {

using standard::enum_property;
using standard::optional_property;
using standard::sensitive_property;

class DatabaseConnectionService final : public DatabaseService {
 public:
  void on_enable(ServiceContext& context) override {
    const auto timeout =
        std::chrono::duration_cast<std::chrono::milliseconds>(context.duration_property("connect_timeout"));
    const auto max = context.int_property("max_connections");
    if (max < 1) throw ProcessorError("max_connections must be at least 1");
    const std::string database = context.string_property("database");
    ConnectionPool::Factory factory;
    if (context.string_property("driver") == "sqlite") {
      if (database.empty())
        throw ProcessorError("the sqlite driver needs `database`: the database file's path");
      dialect_ = Dialect::kSqlite;
      uri_ = "sqlite://" + database;
      factory = [database, timeout] { return connect_sqlite(database, timeout); };
    } else {
      PostgresSettings settings;
      settings.url = context.string_property("url");
      settings.host = context.string_property("host");
      const auto port = context.property("port");
      settings.port = port ? *port : "";
      settings.database = database;
      settings.user = context.string_property("user");
      settings.password = context.string_property("password");
      settings.sslmode = context.string_property("sslmode");
      settings.ssl_root_cert = context.string_property("ssl_root_cert");
      // libpq counts whole seconds; at least 2 (it treats 1 as 2).
      settings.connect_timeout_s = std::to_string(std::max<std::int64_t>(2, (timeout.count() + 999) / 1000));
      dialect_ = Dialect::kPostgres;
      uri_ = "postgresql://" + (settings.host.empty() ? std::string("localhost") : settings.host) +
             (settings.port.empty() ? std::string() : ":" + settings.port) + "/" + database;
      factory = [settings] { return connect_postgres(settings); };
    }
    pool_ = std::make_unique<ConnectionPool>(std::move(factory), static_cast<std::size_t>(max), timeout);
  }
  void on_disable() override {
    if (pool_) pool_->clear();
  }

  ConnectionLease acquire() override { return pool_->acquire(); }
  [[nodiscard]] Dialect dialect() const override { return dialect_; }
  [[nodiscard]] const std::string& transit_uri() const override { return uri_; }

 private:
  std::unique_ptr<ConnectionPool> pool_;
  Dialect dialect_ = Dialect::kPostgres;
  std::string uri_;
};

ServiceSpec make_spec() {
  ServiceSpec s;
  s.type = "DatabaseConnection";
  s.summary = "A pool of connections to a PostgreSQL (libpq) or SQLite database.";
  s.description =
      "Gives the database processors (PutDatabaseRecord, QueryDatabaseTable, ExecuteSQL) pooled connections. "
      "PostgreSQL: `url` (a libpq URI or key=value string) and/or `host`, `port`, `database`, `user`, "
      "`password`; the separate properties override the URL. TLS is verified by default (`sslmode: "
      "verify-full`: the server's certificate must chain to `ssl_root_cert` and name the host), so a flow "
      "that says nothing never talks to an impostor; set `sslmode: disable` for a server on a trusted local "
      "socket. `sslmode` always applies, its default too: an `sslmode` inside `url` is overridden. SQLite: "
      "`database` is the path of an existing database file. The password is sensitive: never "
      "logged, never in provenance (the transit URI carries host, port and database only).";
  s.tags = {"database", "sql", "postgresql", "sqlite", "pool"};
  s.provides = {std::string(kDatabaseInterface)};
  s.properties = {
      enum_property("driver", "postgresql",
                    {{"postgresql", "PostgreSQL through libpq."}, {"sqlite", "A SQLite database file."}},
                    "Which database."),
      optional_property("url", PropertyKind::kString, std::nullopt,
                        "PostgreSQL: a connection URI (postgresql://host:port/db) or key=value string."),
      optional_property("host", PropertyKind::kString, std::nullopt,
                        "PostgreSQL: server host name or address."),
      optional_property("port", PropertyKind::kInt, std::nullopt, "PostgreSQL: server port (5432)."),
      optional_property("database", PropertyKind::kString, std::nullopt,
                        "PostgreSQL: database name. SQLite: path of the database file."),
      optional_property("user", PropertyKind::kString, std::nullopt, "PostgreSQL: user name."),
      sensitive_property("password", "PostgreSQL: password (use ${env:NAME} or ${file:PATH})."),
      enum_property(
          "sslmode", "verify-full",
          {{"disable", "No TLS."},
           {"allow", "TLS only if the server insists (not verified)."},
           {"prefer", "TLS if the server offers it (not verified)."},
           {"require", "TLS, without verifying the server's certificate."},
           {"verify-ca", "TLS; the certificate must chain to `ssl_root_cert`."},
           {"verify-full", "TLS; the certificate must chain to `ssl_root_cert` and name the host."}},
          "PostgreSQL TLS mode (libpq's sslmode)."),
      optional_property("ssl_root_cert", PropertyKind::kString, std::nullopt,
                        "PostgreSQL: CA certificates (PEM) that verify the server."),
      optional_property("max_connections", PropertyKind::kInt, "8", "Connections the pool opens at most."),
      optional_property(
          "connect_timeout", PropertyKind::kDuration, "10 s",
          "How long to wait for a connection (to the server, for a free one in the pool, and for "
          "a SQLite lock)."),
  };
  s.examples = {{"PostgreSQL with the password from the environment",
                 "services:\n  warehouse:\n    type: DatabaseConnection\n    properties:\n"
                 "      host: db.example.com\n      database: meters\n      user: sluice\n"
                 "      password: ${env:PGPASSWORD}\n      ssl_root_cert: /etc/sluice/ca.pem\n"}};
  return s;
}

std::unique_ptr<ControllerService> create() {
  return std::make_unique<DatabaseConnectionService>();
}

}  // namespace

const ServiceDefinition& database_connection_definition() {
  static const ServiceDefinition kDefinition{make_spec(), &create};
  return kDefinition;
}

}  // namespace sluice::database
