#include "provenance/sql_tables.hpp"

#include <algorithm>
#include <cmath>
#include <memory>
#include <optional>
#include <string>

#include <sqlite3.h>

#include "provenance/event_cursor.hpp"

namespace sluice::internal::provenance {

namespace {

enum class Kind : std::uint8_t { kEvents, kParents, kChildren, kAttributes };

struct TableDef {
  const char* name;
  const char* schema;
  Kind kind;
};

constexpr TableDef kTables[] = {
    {"events",
     "CREATE TABLE x(event_id INTEGER, event_time INTEGER, type TEXT, flowfile_uuid TEXT, component_id TEXT, "
     "component_type TEXT, relationship TEXT, transit_uri TEXT, size INTEGER, details TEXT, "
     "lineage_start INTEGER, entry_date INTEGER, source_queue TEXT, previous_size INTEGER)",
     Kind::kEvents},
    {"event_parents", "CREATE TABLE x(event_id INTEGER, flowfile_uuid TEXT)", Kind::kParents},
    {"event_children", "CREATE TABLE x(event_id INTEGER, flowfile_uuid TEXT)", Kind::kChildren},
    {"event_attributes", "CREATE TABLE x(event_id INTEGER, name TEXT, value_before TEXT, value_after TEXT)",
     Kind::kAttributes},
};

// events columns
enum EventsColumn : int {
  kEventId,
  kEventTime,
  kType,
  kFlowFileUuid,
  kComponentId,
  kComponentType,
  kRelationship,
  kTransitUri,
  kSize,
  kDetails,
  kLineageStart,
  kEntryDate,
  kSourceQueue,
  kPreviousSize,
};
constexpr int kRowUuid = 1;        // event_parents / event_children
constexpr int kAttributeName = 1;  // event_attributes
constexpr int kValueBefore = 2;
constexpr int kValueAfter = 3;

struct Module {
  const StoreReader* store;
  Kind kind;
};

struct Table : sqlite3_vtab {
  const StoreReader* store = nullptr;
  Kind kind = Kind::kEvents;
};

struct AttributeRow {
  std::string_view name;
  std::optional<std::string_view> before;
  std::optional<std::string_view> after;
};

struct Cursor : sqlite3_vtab_cursor {
  const StoreReader* store = nullptr;
  Kind kind = Kind::kEvents;
  std::unique_ptr<EventCursor> events;
  bool eof = true;
  bool no_rows = false;
  // Exact checks after the index narrowed the candidates.
  std::optional<std::string> uuid;  // raw 16 bytes: the subject (events) or the row's uuid
  std::optional<std::string> uri;
  std::optional<std::string> name;
  std::optional<std::string> value;
  // The current event's rows (one for events; one per parent, child or attribute otherwise).
  std::size_t row = 0;
  std::size_t rows = 0;
  std::vector<AttributeRow> attributes;
  sqlite3_int64 rowid = 0;
};

// One usable constraint, as xBestIndex passes it to xFilter through idxStr: two characters each.
char op_code(unsigned char op) {
  switch (op) {
    case SQLITE_INDEX_CONSTRAINT_EQ: return '=';
    case SQLITE_INDEX_CONSTRAINT_GT: return '>';
    case SQLITE_INDEX_CONSTRAINT_GE: return 'g';
    case SQLITE_INDEX_CONSTRAINT_LT: return '<';
    case SQLITE_INDEX_CONSTRAINT_LE: return 'l';
    default: return 0;
  }
}

bool pushable(Kind kind, int column, char op) {
  if (column == kEventId) return true;  // every table: ranges and equality on event_id
  if (op != '=') return kind == Kind::kEvents && column == kEventTime;
  switch (kind) {
    case Kind::kEvents:
      return column == kEventTime || column == kType || column == kFlowFileUuid || column == kComponentId ||
             column == kTransitUri;
    case Kind::kParents:
    case Kind::kChildren: return column == kRowUuid;
    case Kind::kAttributes: return column == kAttributeName || column == kValueAfter;
  }
  return false;
}

int connect(sqlite3* db, void* aux, int /*argc*/, const char* const* /*argv*/, sqlite3_vtab** out,
            char** /*error*/) {
  const auto* module = static_cast<const Module*>(aux);
  const TableDef* def = nullptr;
  for (const TableDef& t : kTables) {
    if (t.kind == module->kind) def = &t;
  }
  const int rc = sqlite3_declare_vtab(db, def->schema);
  if (rc != SQLITE_OK) return rc;
  auto* table = new Table();
  table->store = module->store;
  table->kind = module->kind;
  *out = table;
  return SQLITE_OK;
}

int disconnect(sqlite3_vtab* vtab) {
  delete static_cast<Table*>(vtab);
  return SQLITE_OK;
}

int best_index(sqlite3_vtab* vtab, sqlite3_index_info* info) {
  const auto* table = static_cast<Table*>(vtab);
  std::string plan;
  int argv = 0;
  bool id_eq = false;
  bool uuid_eq = false;
  bool keyed = false;
  bool narrowed = false;
  bool uses_in = false;
  bool name_eq = false;
  bool value_eq = false;
  for (int i = 0; i < info->nConstraint; ++i) {
    const auto& c = info->aConstraint[i];
    if (c.usable == 0) continue;
    const char op = op_code(c.op);
    if (op == 0 || !pushable(table->kind, c.iColumn, op)) continue;
    plan.push_back(static_cast<char>('A' + c.iColumn));
    plan.push_back(op);
    info->aConstraintUsage[i].argvIndex = ++argv;
    // SQLite checks the constraint again on each row: the table only has to return a superset.
    info->aConstraintUsage[i].omit = 0;
    if (op == '=' && sqlite3_vtab_in(info, i, -1) != 0) uses_in = true;
    if (c.iColumn == kEventId && op == '=') id_eq = true;
    if (table->kind == Kind::kEvents) {
      if (c.iColumn == kFlowFileUuid) uuid_eq = true;
      if (c.iColumn == kTransitUri) keyed = true;
      if (c.iColumn == kComponentId || c.iColumn == kType || c.iColumn == kEventTime || c.iColumn == kEventId)
        narrowed = true;
    } else if (table->kind == Kind::kAttributes) {
      if (c.iColumn == kAttributeName) name_eq = true;
      if (c.iColumn == kValueAfter) value_eq = true;
      if (c.iColumn == kEventId) narrowed = true;
    } else {
      if (c.iColumn == kRowUuid) uuid_eq = true;
      if (c.iColumn == kEventId) narrowed = true;
    }
  }
  if (name_eq && value_eq) keyed = true;
  const double total = static_cast<double>(table->store->event_count()) + 10;
  double rows = total;
  if (id_eq) {
    rows = 1;
  } else if (uuid_eq) {
    rows = 10;
  } else if (keyed) {
    rows = 100;
  } else if (narrowed) {
    rows = total / 4;
  }
  info->estimatedRows = static_cast<sqlite3_int64>(rows);
  info->estimatedCost = rows * 10;
  if (id_eq) info->idxFlags |= SQLITE_INDEX_SCAN_UNIQUE;
  int flags = 0;
  // Rows come in event id order (or its reverse): an ORDER BY event_id alone needs no sort.
  if (info->nOrderBy == 1 && info->aOrderBy[0].iColumn == kEventId && !uses_in) {
    info->orderByConsumed = 1;
    if (info->aOrderBy[0].desc != 0) flags |= 1;
  }
  info->idxNum = flags;
  info->idxStr = sqlite3_mprintf("%s", plan.c_str());
  info->needToFreeIdxStr = 1;
  return SQLITE_OK;
}

int open_cursor(sqlite3_vtab* vtab, sqlite3_vtab_cursor** out) {
  const auto* table = static_cast<Table*>(vtab);
  auto* cursor = new Cursor();
  cursor->store = table->store;
  cursor->kind = table->kind;
  *out = cursor;
  return SQLITE_OK;
}

int close_cursor(sqlite3_vtab_cursor* cur) {
  delete static_cast<Cursor*>(cur);
  return SQLITE_OK;
}

std::string_view text_of(sqlite3_value* v) {
  const auto* t = sqlite3_value_text(v);
  return t == nullptr ? std::string_view()
                      : std::string_view(reinterpret_cast<const char*>(t),
                                         static_cast<std::size_t>(sqlite3_value_bytes(v)));
}

void build_attributes(Cursor& c) {
  c.attributes.clear();
  const EventView& e = c.events->event();
  c.events->section().for_each_attribute(e.attribute_set, [&](std::string_view k, std::string_view v) {
    c.attributes.push_back({k, v, v});
  });
  for_each_change(e.changes, [&](std::string_view name, std::optional<std::string_view> before) {
    auto it = std::lower_bound(c.attributes.begin(), c.attributes.end(), name,
                               [](const AttributeRow& r, std::string_view n) { return r.name < n; });
    if (it != c.attributes.end() && it->name == name) {
      it->before = before;
    } else {
      c.attributes.insert(it, AttributeRow{name, before, std::nullopt});
    }
  });
}

bool event_matches(const Cursor& c) {
  const EventView& e = c.events->event();
  if (c.kind == Kind::kEvents && c.uuid && e.uuid != *c.uuid) return false;
  if (c.uri && e.transit_uri != *c.uri) return false;
  return true;
}

bool row_matches(const Cursor& c) {
  const EventView& e = c.events->event();
  switch (c.kind) {
    case Kind::kEvents: return true;
    case Kind::kParents: return !c.uuid || e.parent(c.row) == *c.uuid;
    case Kind::kChildren: return !c.uuid || e.child(c.row) == *c.uuid;
    case Kind::kAttributes: {
      const AttributeRow& r = c.attributes[c.row];
      if (c.name && r.name != *c.name) return false;
      if (c.value && (!r.after || *r.after != *c.value)) return false;
      return true;
    }
  }
  return false;
}

void advance(Cursor& c) {
  for (;;) {
    if (c.row + 1 < c.rows) {
      ++c.row;
    } else {
      if (!c.events->next()) {
        c.eof = true;
        return;
      }
      if (!event_matches(c)) continue;
      const EventView& e = c.events->event();
      c.row = 0;
      switch (c.kind) {
        case Kind::kEvents: c.rows = 1; break;
        case Kind::kParents: c.rows = e.parent_count(); break;
        case Kind::kChildren: c.rows = e.child_count(); break;
        case Kind::kAttributes:
          build_attributes(c);
          c.rows = c.attributes.size();
          break;
      }
      if (c.rows == 0) continue;
    }
    if (row_matches(c)) {
      ++c.rowid;
      return;
    }
  }
}

int filter(sqlite3_vtab_cursor* cur, int idx_num, const char* idx_str, int argc, sqlite3_value** argv) {
  auto& c = *static_cast<Cursor*>(cur);
  c.uuid.reset();
  c.uri.reset();
  c.name.reset();
  c.value.reset();
  c.row = 0;
  c.rows = 0;
  c.rowid = 0;
  c.eof = false;
  ScanFilter f;
  f.descending = (idx_num & 1) != 0;
  const std::string_view plan = idx_str == nullptr ? std::string_view() : std::string_view(idx_str);
  bool none = false;
  for (int i = 0; i < argc && (2 * static_cast<std::size_t>(i)) + 1 < plan.size(); ++i) {
    const int column = plan[2 * static_cast<std::size_t>(i)] - 'A';
    const char op = plan[(2 * static_cast<std::size_t>(i)) + 1];
    sqlite3_value* v = argv[i];
    if (sqlite3_value_type(v) == SQLITE_NULL) {
      none = true;  // a comparison with NULL is never true
      continue;
    }
    const bool id_or_time = column == kEventId || (c.kind == Kind::kEvents && column == kEventTime);
    if (!id_or_time && sqlite3_value_type(v) != SQLITE_TEXT) continue;  // no narrowing; SQLite compares
    if (id_or_time) {
      const int type = sqlite3_value_type(v);
      if (type != SQLITE_INTEGER && type != SQLITE_FLOAT) continue;  // no narrowing; SQLite compares
      const double d = sqlite3_value_double(v);
      double lo = -1e300;
      double hi = 1e300;
      if (op == '=' || op == 'g') lo = std::ceil(d);
      if (op == '>') lo = std::floor(d) + 1;
      if (op == '=' || op == 'l') hi = std::floor(d);
      if (op == '<') hi = std::ceil(d) - 1;
      if (lo > hi) none = true;
      if (column == kEventId) {
        if (hi < 0) none = true;
        if (lo > 0) f.min_id = std::max(f.min_id, lo >= 1.8e19 ? UINT64_MAX : static_cast<std::uint64_t>(lo));
        if (hi < 1.8e19 && hi >= 0) f.max_id = std::min(f.max_id, static_cast<std::uint64_t>(hi));
      } else {
        if (lo > -9e18)
          f.min_time = std::max(f.min_time, lo >= 9e18 ? INT64_MAX : static_cast<std::int64_t>(lo));
        if (hi < 9e18)
          f.max_time = std::min(f.max_time, hi <= -9e18 ? INT64_MIN : static_cast<std::int64_t>(hi));
      }
      continue;
    }
    const std::string_view text = text_of(v);
    if (c.kind == Kind::kEvents && column == kType) {
      const auto type = parse_event_type(text);
      if (!type || text != event_type_name(*type)) {
        none = true;
      } else {
        f.types &= static_cast<std::uint16_t>(1U << static_cast<unsigned>(*type));
      }
    } else if ((c.kind == Kind::kEvents && column == kFlowFileUuid) ||
               (c.kind != Kind::kEvents && c.kind != Kind::kAttributes && column == kRowUuid)) {
      UuidBytes u{};
      if (!uuid_bytes(text, u) || uuid_text({reinterpret_cast<const char*>(u.data()), u.size()}) != text) {
        none = true;
      } else {
        c.uuid = std::string(reinterpret_cast<const char*>(u.data()), u.size());
        f.key = uuid_key(*c.uuid);
      }
    } else if (c.kind == Kind::kEvents && column == kComponentId) {
      if (f.component_id && *f.component_id != text) none = true;
      f.component_id = std::string(text);
    } else if (c.kind == Kind::kEvents && column == kTransitUri) {
      c.uri = std::string(text);
    } else if (c.kind == Kind::kAttributes && column == kAttributeName) {
      c.name = std::string(text);
    } else if (c.kind == Kind::kAttributes && column == kValueAfter) {
      c.value = std::string(text);
    }
  }
  if (!f.key && c.uri) f.key = uri_key(*c.uri);
  if (!f.key && c.name && c.value) {
    const auto& parts = c.store->partitions();
    if (std::all_of(parts.begin(), parts.end(),
                    [&](const auto& p) { return p->indexes_attribute(*c.name); })) {
      f.key = attribute_key(*c.name, *c.value);
    }
  }
  if (none || f.empty_range()) {
    c.eof = true;
    return SQLITE_OK;
  }
  c.events = std::make_unique<EventCursor>(*c.store, std::move(f));
  advance(c);
  return SQLITE_OK;
}

int next(sqlite3_vtab_cursor* cur) {
  advance(*static_cast<Cursor*>(cur));
  return SQLITE_OK;
}

int eof(sqlite3_vtab_cursor* cur) {
  return static_cast<Cursor*>(cur)->eof ? 1 : 0;
}

void result_text(sqlite3_context* ctx, std::string_view s, bool null_when_empty = true) {
  if (s.empty() && null_when_empty) {
    sqlite3_result_null(ctx);
    return;
  }
  sqlite3_result_text(ctx, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
}

void result_uuid(sqlite3_context* ctx, std::string_view raw16) {
  const std::string text = uuid_text(raw16);
  sqlite3_result_text(ctx, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
}

int column(sqlite3_vtab_cursor* cur, sqlite3_context* ctx, int col) {
  const auto& c = *static_cast<Cursor*>(cur);
  const EventView& e = c.events->event();
  if (col == kEventId) {
    sqlite3_result_int64(ctx, static_cast<sqlite3_int64>(e.id));
    return SQLITE_OK;
  }
  switch (c.kind) {
    case Kind::kParents: result_uuid(ctx, e.parent(c.row)); return SQLITE_OK;
    case Kind::kChildren: result_uuid(ctx, e.child(c.row)); return SQLITE_OK;
    case Kind::kAttributes: {
      const AttributeRow& r = c.attributes[c.row];
      if (col == kAttributeName) result_text(ctx, r.name, false);
      if (col == kValueBefore) {
        if (r.before) {
          result_text(ctx, *r.before, false);
        } else {
          sqlite3_result_null(ctx);
        }
      }
      if (col == kValueAfter) {
        if (r.after) {
          result_text(ctx, *r.after, false);
        } else {
          sqlite3_result_null(ctx);
        }
      }
      return SQLITE_OK;
    }
    case Kind::kEvents: break;
  }
  const SectionHeader& h = c.events->section().header();
  switch (col) {
    case kEventTime: sqlite3_result_int64(ctx, e.time_ms); break;
    case kType: result_text(ctx, event_type_name(e.type)); break;
    case kFlowFileUuid: result_uuid(ctx, e.uuid); break;
    case kComponentId: result_text(ctx, h.component_id); break;
    case kComponentType: result_text(ctx, h.component_type); break;
    case kRelationship: result_text(ctx, e.relationship); break;
    case kTransitUri: result_text(ctx, e.transit_uri); break;
    case kSize:
      sqlite3_result_int64(ctx, static_cast<sqlite3_int64>(e.content_out  ? e.content_out->length
                                                           : e.content_in ? e.content_in->length
                                                                          : 0));
      break;
    case kDetails: result_text(ctx, e.details); break;
    case kLineageStart: sqlite3_result_int64(ctx, e.lineage_start_ms); break;
    case kEntryDate: sqlite3_result_int64(ctx, e.entry_ms); break;
    case kSourceQueue: result_text(ctx, e.source_queue); break;
    case kPreviousSize:
      if (e.content_in) {
        sqlite3_result_int64(ctx, static_cast<sqlite3_int64>(e.content_in->length));
      } else {
        sqlite3_result_null(ctx);
      }
      break;
    default: sqlite3_result_null(ctx);
  }
  return SQLITE_OK;
}

int rowid(sqlite3_vtab_cursor* cur, sqlite3_int64* out) {
  const auto& c = *static_cast<Cursor*>(cur);
  *out = c.kind == Kind::kEvents ? static_cast<sqlite3_int64>(c.events->event().id) : c.rowid;
  return SQLITE_OK;
}

sqlite3_module make_module() {
  sqlite3_module m{};
  m.iVersion = 0;
  m.xCreate = nullptr;  // eponymous only: the tables exist on the connection without CREATE
  m.xConnect = connect;
  m.xBestIndex = best_index;
  m.xDisconnect = disconnect;
  m.xDestroy = disconnect;
  m.xOpen = open_cursor;
  m.xClose = close_cursor;
  m.xFilter = filter;
  m.xNext = next;
  m.xEof = eof;
  m.xColumn = column;
  m.xRowid = rowid;
  return m;
}

const sqlite3_module kModule = make_module();

}  // namespace

void register_provenance_tables(sqlite3* db, const StoreReader& store) {
  for (const TableDef& t : kTables) {
    auto* aux = new Module{&store, t.kind};
    const int rc =
        sqlite3_create_module_v2(db, t.name, &kModule, aux, [](void* p) { delete static_cast<Module*>(p); });
    if (rc != SQLITE_OK) throw std::runtime_error(std::string("cannot register table ") + t.name);
  }
}

}  // namespace sluice::internal::provenance
