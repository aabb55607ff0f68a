// The SQL text helpers and the statements PutDatabaseRecord builds: quoting and numbered placeholders.
#include "sql_text.hpp"

#include <stdexcept>

#include <gtest/gtest.h>

#include "record_statement.hpp"

namespace sluice::database {
namespace {

TEST(SqlTextTest, QuotesIdentifiersAndQualifiedTables) {
  EXPECT_EQ(quote_identifier("a\"b"), "\"a\"\"b\"");
  EXPECT_EQ(quote_table("meters.readings"), "\"meters\".\"readings\"");
}

TEST(SqlTextTest, NumbersQuestionMarksOutsideLiteralsAndComments) {
  std::size_t count = 0;
  EXPECT_EQ(number_placeholders("SELECT '?', \"?\", ? /* ? */ FROM t WHERE a = ? -- ?\nAND b = ?",
                                Dialect::kPostgres, count),
            "SELECT '?', \"?\", $1 /* ? */ FROM t WHERE a = $2 -- ?\nAND b = $3");
  EXPECT_EQ(count, 3U);
  EXPECT_EQ(number_placeholders("SELECT 'it''s ?', ?", Dialect::kSqlite, count), "SELECT 'it''s ?', ?1");
  EXPECT_EQ(count, 1U);
}

DataTypePtr schema_of(std::initializer_list<const char*> names) {
  std::vector<Field> fields;
  for (const char* n : names) {
    Field f;
    f.name = n;
    f.type = DataType::primitive(TypeKind::kString);
    fields.push_back(f);
  }
  return DataType::record("r", std::move(fields));
}

TEST(RecordStatementTest, BuildsEachStatementType) {
  StatementRequest request;
  request.table = "daily";
  request.columns = {"meter", "day", "kwh"};
  request.key_columns = {"meter", "day"};
  const auto schema = schema_of({"meter", "extra", "day", "kwh"});
  request.type = StatementType::kUpsert;
  auto upsert = build_record_statement(*schema, request);
  EXPECT_EQ(upsert.sql,
            "INSERT INTO \"daily\" (\"meter\", \"day\", \"kwh\") VALUES ($1, $2, $3) ON CONFLICT (\"meter\", "
            "\"day\") "
            "DO UPDATE SET \"kwh\" = excluded.\"kwh\"");
  EXPECT_EQ(upsert.fields, (std::vector<std::size_t>{0, 2, 3}));
  request.type = StatementType::kUpdate;
  request.dialect = Dialect::kSqlite;
  auto update = build_record_statement(*schema, request);
  EXPECT_EQ(update.sql, "UPDATE \"daily\" SET \"kwh\" = ?1 WHERE \"meter\" = ?2 AND \"day\" = ?3");
  EXPECT_EQ(update.fields, (std::vector<std::size_t>{3, 0, 2}));
  request.fail_unmatched_fields = true;
  EXPECT_THROW(build_record_statement(*schema, request), std::invalid_argument);
  request.fail_unmatched_fields = false;
  request.key_columns = {};
  EXPECT_THROW(build_record_statement(*schema, request), std::invalid_argument);  // UPDATE needs keys
}

}  // namespace
}  // namespace sluice::database
