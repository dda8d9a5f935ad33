// Helpers for reading SOCI rows and binding values in repositories. Internal
// to store/. Column types follow migrations/: BIGINT -> long long, TINYINT
// and INT -> int, DATE -> std::tm, text -> std::string.
#pragma once

#include <cstdint>
#include <ctime>
#include <string>
#include <vector>

#include "absl/strings/str_join.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "cms/v1/common.pb.h"
#include "google/protobuf/timestamp.pb.h"
#include "server/base/enum_names.h"
#include "soci/soci.h"

namespace cms::store {

// Columns are named or, where a query's column list is fixed and hot, given
// by position (an enum of positions): a name costs a search of the row's
// columns on every read.
template <typename Col>
bool IsNull(const soci::row& r, const Col& col) {
  return r.get_indicator(col) == soci::i_null;
}

template <typename Col>
int64_t I64(const soci::row& r, const Col& col, int64_t if_null = 0) {
  if (IsNull(r, col)) return if_null;
  switch (r.get_properties(col).get_data_type()) {
    case soci::dt_integer:
      return r.template get<int>(col);
    case soci::dt_unsigned_long_long:
      return static_cast<int64_t>(r.template get<unsigned long long>(col));
    default:
      return r.template get<long long>(col);
  }
}

template <typename Col>
bool Bool(const soci::row& r, const Col& col) {
  return I64(r, col) != 0;
}

template <typename Col>
std::string Str(const soci::row& r, const Col& col) {
  return IsNull(r, col) ? std::string() : r.template get<std::string>(col);
}

template <typename Col>
cms::v1::Date DateOf(const soci::row& r, const Col& col) {
  cms::v1::Date d;
  if (IsNull(r, col)) return d;
  std::tm tm = r.template get<std::tm>(col);
  d.set_year(tm.tm_year + 1900);
  d.set_month(tm.tm_mon + 1);
  d.set_day(tm.tm_mday);
  return d;
}

inline void SetTimestamp(int64_t micros, google::protobuf::Timestamp* ts) {
  ts->set_seconds(micros / 1000000);
  ts->set_nanos(static_cast<int32_t>((micros % 1000000) * 1000));
}

// A nullable DATE bind: "YYYY-MM-DD" with an indicator (null for an unset
// date). Keep the object alive until the statement has executed.
struct DateBind {
  explicit DateBind(const cms::v1::Date& d);
  std::string text;
  soci::indicator ind;
};

inline DateBind::DateBind(const cms::v1::Date& d)
    : text(d.year() == 0 ? std::string("1970-01-01")
                         : absl::FormatCivilTime(absl::CivilDay(d.year(), d.month(), d.day()))),
      ind(d.year() == 0 ? soci::i_null : soci::i_ok) {}

// A nullable BIGINT bind (0 means NULL) for optional foreign keys.
struct IdBind {
  explicit IdBind(int64_t v) : value(v), ind(v == 0 ? soci::i_null : soci::i_ok) {}
  long long value;
  soci::indicator ind;
};

// A nullable string bind (empty means NULL).
struct StrBind {
  explicit StrBind(std::string v)
      : value(std::move(v)), ind(value.empty() ? soci::i_null : soci::i_ok) {}
  std::string value;
  soci::indicator ind;
};

// An enum column stored as its short name (UNSPECIFIED when unknown).
template <typename E, typename Col>
E EnumCol(const soci::row& r, const Col& col) {
  return ParseEnum<E>(Str(r, col)).value_or(static_cast<E>(0));
}

// Ids the server read from its own tables, as the text of an IN list: ids
// are numbers, never caller text, and a list of bound placeholders would
// need a statement per list length.
inline std::string IdList(const std::vector<int64_t>& ids) { return absl::StrJoin(ids, ", "); }

// Every row `sql` selects by its one bound `key`, mapped.
template <typename T, typename Map>
std::vector<T> ListRows(soci::session& sql, const std::string& query, long long key, Map map) {
  std::vector<T> out;
  soci::rowset<soci::row> rows = (sql.prepare << query, soci::use(key));
  for (const soci::row& r : rows) out.push_back(map(r));
  return out;
}

// The AUTO_INCREMENT id of the last INSERT (mysql_insert_id: no round trip).
inline long long LastInsertId(soci::session& sql) {
  long long id = 0;
  sql.get_last_insert_id("", id);
  return id;
}

}  // namespace cms::store
