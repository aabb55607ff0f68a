// SQL text the processors build: quoted identifiers and numbered parameter placeholders. Data never goes
// into SQL text; it is always bound as a parameter.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "database_driver.hpp"

namespace sluice::database {

// Whether two identifiers are the same ignoring ASCII case (how the processors match fields to columns).
bool same_name(std::string_view a, std::string_view b);
// "name" with inner quotes doubled (both databases follow the SQL standard here).
std::string quote_identifier(std::string_view name);
// schema.table → "schema"."table" (each part quoted).
std::string quote_table(std::string_view table);
// The n-th (1-based) parameter: $n for PostgreSQL, ?n for SQLite.
std::string placeholder(Dialect dialect, std::size_t n);
// A query with `?` parameters in the dialect's numbered form, leaving `?` inside string literals, quoted
// identifiers and comments alone; `count` gets the number of parameters.
std::string number_placeholders(std::string_view sql, Dialect dialect, std::size_t& count);

}  // namespace sluice::database
