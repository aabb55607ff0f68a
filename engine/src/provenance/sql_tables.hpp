// The virtual tables behind the provenance SQL surface (sql.hpp), registered on a SQLite connection.
#pragma once

#include "provenance/store_reader.hpp"

struct sqlite3;

namespace sluice::internal::provenance {

// Makes events, event_parents, event_children and event_attributes available on `db` (eponymous virtual
// tables: no CREATE needed). `store` must outlive the connection.
void register_provenance_tables(sqlite3* db, const StoreReader& store);

}  // namespace sluice::internal::provenance
