#include <iostream>

#include "cli/commands.hpp"
#include "cli/table_output.hpp"
#include "provenance/sql.hpp"
#include "provenance/store_format.hpp"

namespace sluice::cli {

int provenance_sql_command(const ProvenanceSqlOptions& options) {
  namespace prov = internal::provenance;
  const prov::StoreReader store(prov::store_directory(options.data_dir));
  prov::SqlSession session(store);
  TableOutput output(std::cout, options.format);
  std::vector<Cell> cells;
  try {
    session.execute(
        options.sql, [&](const std::vector<std::string>& names) { output.columns(names); },
        [&](std::span<const prov::SqlValue> row) {
          cells.assign(row.size(), Cell{});
          for (std::size_t i = 0; i < row.size(); ++i) {
            const prov::SqlValue& v = row[i];
            switch (v.type) {
              case prov::SqlValue::Type::kInteger: cells[i] = v.integer; break;
              case prov::SqlValue::Type::kReal: cells[i] = v.real; break;
              case prov::SqlValue::Type::kText:
              case prov::SqlValue::Type::kBlob: cells[i] = std::string(v.text); break;
              case prov::SqlValue::Type::kNull: break;
            }
          }
          output.row(cells);
        });
  } catch (const prov::SqlError& e) {
    output.finish();
    std::cerr << e.what() << '\n';
    return kExitInvalid;
  }
  return kExitOk;
}

}  // namespace sluice::cli
