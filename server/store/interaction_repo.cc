#include "server/store/interaction_repo.h"

#include "absl/strings/str_cat.h"
#include "server/base/enum_names.h"
#include "server/base/errors.h"
#include "server/store/row_util.h"

namespace cms::store {
namespace {

using cms::v1::Interaction;

constexpr char kCols[] =
    "id, person_id, case_id, channel, direction, template_code, text, author, "
    "service_request_id, created_us, returned_us";

Interaction InteractionOf(const soci::row& r) {
  Interaction i;
  i.set_id(I64(r, "id"));
  i.set_person_id(I64(r, "person_id"));
  i.set_case_id(I64(r, "case_id"));
  i.set_channel(ParseEnum<cms::v1::InteractionChannel>(Str(r, "channel"))
                    .value_or(cms::v1::INTERACTION_CHANNEL_UNSPECIFIED));
  i.set_direction(ParseEnum<cms::v1::InteractionDirection>(Str(r, "direction"))
                      .value_or(cms::v1::INTERACTION_DIRECTION_UNSPECIFIED));
  i.set_template_code(Str(r, "template_code"));
  i.set_text(Str(r, "text"));
  i.set_author(Str(r, "author"));
  i.set_service_request_id(I64(r, "service_request_id"));
  SetTimestamp(I64(r, "created_us"), i.mutable_create_time());
  if (!IsNull(r, "returned_us")) SetTimestamp(I64(r, "returned_us"), i.mutable_return_time());
  return i;
}

}  // namespace

absl::StatusOr<int64_t> InsertInteraction(Tx& tx, const Interaction& i, int64_t now_us) {
  return GuardOr<int64_t>([&]() -> absl::StatusOr<int64_t> {
    long long person = i.person_id(), kase = i.case_id();
    std::string channel = ShortName(i.channel()), direction = ShortName(i.direction());
    StrBind template_code(i.template_code());
    IdBind sr(i.service_request_id());
    tx.session() << "INSERT INTO interactions (person_id, case_id, channel, direction, "
                    "template_code, text, author, service_request_id, created_us) VALUES (:p, "
                    ":c, :ch, :d, :t, :x, :a, :sr, :now)",
        soci::use(person), soci::use(kase), soci::use(channel), soci::use(direction),
        soci::use(template_code.value, template_code.ind), soci::use(i.text()),
        soci::use(i.author()), soci::use(sr.value, sr.ind), soci::use(now_us);
    return LastInsertId(tx.session());
  });
}

absl::StatusOr<Interaction> GetInteraction(Tx& tx, int64_t id) {
  return GuardOr<Interaction>([&]() -> absl::StatusOr<Interaction> {
    long long key = id;
    soci::row r;
    soci::statement st = (tx.session().prepare << absl::StrCat("SELECT ", kCols,
                                                               " FROM interactions WHERE id = :id"),
                          soci::use(key), soci::into(r));
    st.execute(true);
    if (!st.got_data()) return NotFound("interaction", absl::StrCat(id));
    return InteractionOf(r);
  });
}

absl::StatusOr<std::vector<Interaction>> ListInteractions(Tx& tx, int64_t person_id,
                                                          int64_t case_id,
                                                          const PageRequest& page) {
  using Out = std::vector<Interaction>;
  return GuardOr<Out>([&]() -> absl::StatusOr<Out> {
    long long person = person_id, kase = case_id, after = page.after_id;
    int limit = page.limit;
    Out out;
    // One statement per shape rather than "(:p = 0 OR person_id = :p)", so
    // each reads one index range (ix_interactions_person / _case).
    if (person_id != 0) {
      soci::rowset<soci::row> rows =
          (tx.session().prepare << absl::StrCat("SELECT ", kCols,
                                                " FROM interactions WHERE person_id = :p AND (:c "
                                                "= 0 OR case_id = :c2) AND id > :a ORDER BY id "
                                                "LIMIT :l"),
           soci::use(person), soci::use(kase), soci::use(kase), soci::use(after), soci::use(limit));
      for (const soci::row& r : rows) out.push_back(InteractionOf(r));
    } else {
      soci::rowset<soci::row> rows =
          (tx.session().prepare << absl::StrCat("SELECT ", kCols,
                                                " FROM interactions WHERE case_id = :c AND id > "
                                                ":a ORDER BY id LIMIT :l"),
           soci::use(kase), soci::use(after), soci::use(limit));
      for (const soci::row& r : rows) out.push_back(InteractionOf(r));
    }
    return out;
  });
}

absl::StatusOr<std::vector<Interaction>> ListInteractionsOfSr(Tx& tx, int64_t sr_id,
                                                              const PageRequest& page) {
  using Out = std::vector<Interaction>;
  return GuardOr<Out>([&]() -> absl::StatusOr<Out> {
    long long sr = sr_id, after = page.after_id;
    int limit = page.limit;
    Out out;
    soci::rowset<soci::row> rows =
        (tx.session().prepare << absl::StrCat("SELECT ", kCols,
                                              " FROM interactions WHERE service_request_id = :s "
                                              "AND id > :a ORDER BY id LIMIT :l"),
         soci::use(sr), soci::use(after), soci::use(limit));
    for (const soci::row& r : rows) out.push_back(InteractionOf(r));
    return out;
  });
}

absl::Status MarkLetterReturned(Tx& tx, int64_t id, int64_t now_us) {
  return Guard([&] {
    long long key = id;
    tx.session() << "UPDATE interactions SET returned_us = :now WHERE id = :id", soci::use(now_us),
        soci::use(key);
    return absl::OkStatus();
  });
}

absl::StatusOr<std::optional<Interaction>> FindLatestLetter(Tx& tx, int64_t case_id,
                                                            const std::string& template_code) {
  using Out = std::optional<Interaction>;
  return GuardOr<Out>([&]() -> absl::StatusOr<Out> {
    long long kase = case_id;
    soci::rowset<soci::row> rows =
        (tx.session().prepare << absl::StrCat("SELECT ", kCols,
                                              " FROM interactions WHERE case_id = :c AND "
                                              "template_code = :t ORDER BY id DESC LIMIT 1"),
         soci::use(kase), soci::use(template_code));
    for (const soci::row& r : rows) return Out(InteractionOf(r));
    return Out();
  });
}

}  // namespace cms::store
