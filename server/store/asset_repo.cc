#include "server/store/asset_repo.h"

#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "server/base/enum_names.h"
#include "server/base/errors.h"
#include "server/base/etag.h"
#include "server/base/status_macros.h"
#include "server/domain/versions.h"
#include "server/store/row_util.h"

namespace cms::store {
namespace {

using cms::v1::Asset;

constexpr char kCols[] =
    "id, person_id, casegroup_id, case_id, type, account_type, description, reference, source, "
    "previous_address, used_for_csa_direct_debit, state, end_reason, recorded_by, ended_by, "
    "created_us, updated_us, ended_us, version";
enum Col {
  kId,
  kPerson,
  kCasegroup,
  kCase,
  kType,
  kAccountType,
  kDescription,
  kReference,
  kSource,
  kPreviousAddress,
  kCsaDirectDebit,
  kState,
  kEndReason,
  kRecordedBy,
  kEndedBy,
  kCreatedUs,
  kUpdatedUs,
  kEndedUs,
  kVersion
};

Asset AssetOf(const soci::row& r) {
  Asset a;
  a.set_id(I64(r, kId));
  a.set_person_id(I64(r, kPerson));
  a.set_casegroup_id(I64(r, kCasegroup));
  a.set_case_id(I64(r, kCase));
  a.set_type(EnumCol<cms::v1::AssetType>(r, kType));
  a.set_account_type(EnumCol<cms::v1::BankAccountType>(r, kAccountType));
  a.set_description(Str(r, kDescription));
  a.set_reference(Str(r, kReference));
  a.set_source(EnumCol<cms::v1::AssetSource>(r, kSource));
  a.set_previous_address(Bool(r, kPreviousAddress));
  a.set_used_for_csa_direct_debit(Bool(r, kCsaDirectDebit));
  a.set_state(EnumCol<cms::v1::AssetState>(r, kState));
  a.set_end_reason(Str(r, kEndReason));
  a.set_recorded_by(Str(r, kRecordedBy));
  a.set_ended_by(Str(r, kEndedBy));
  SetTimestamp(I64(r, kCreatedUs), a.mutable_create_time());
  SetTimestamp(I64(r, kUpdatedUs), a.mutable_update_time());
  if (!IsNull(r, kEndedUs)) SetTimestamp(I64(r, kEndedUs), a.mutable_end_time());
  a.set_etag(EtagOf(I64(r, kVersion)));
  return a;
}

// '' for BANK_ACCOUNT_TYPE_UNSPECIFIED (not a bank account).
std::string AccountTypeText(cms::v1::BankAccountType t) {
  return t == cms::v1::BANK_ACCOUNT_TYPE_UNSPECIFIED ? std::string() : ShortName(t);
}

std::optional<Asset> SelectById(Tx& tx, int64_t id, bool for_update) {
  long long key = id;
  soci::rowset<soci::row> rows =
      (tx.session().prepare << absl::StrCat("SELECT ", kCols, " FROM person_assets WHERE id = :id",
                                            for_update ? " FOR UPDATE" : ""),
       soci::use(key));
  for (const soci::row& r : rows) return AssetOf(r);
  return std::nullopt;
}

}  // namespace

absl::StatusOr<Asset> InsertAsset(Tx& tx, Asset asset, int64_t now_us) {
  return GuardOr<Asset>([&]() -> absl::StatusOr<Asset> {
    asset.set_state(cms::v1::ASSET_STATE_ACTIVE);
    std::string type = ShortName(asset.type()), account = AccountTypeText(asset.account_type()),
                source = ShortName(asset.source()), state = ShortName(asset.state());
    long long person = asset.person_id(), group = asset.casegroup_id(), k = asset.case_id(),
              first = domain::kFirstVersion, now = now_us;
    int previous = asset.previous_address() ? 1 : 0,
        csa = asset.used_for_csa_direct_debit() ? 1 : 0;
    tx.session() << "INSERT INTO person_assets (person_id, casegroup_id, case_id, type, "
                    "account_type, description, reference, source, previous_address, "
                    "used_for_csa_direct_debit, state, recorded_by, created_us, updated_us, "
                    "version) VALUES (:p, :g, :k, :t, :at, :d, :ref, :src, :prev, :csa, :s, "
                    ":by, :now, :now2, :v)",
        soci::use(person), soci::use(group), soci::use(k), soci::use(type), soci::use(account),
        soci::use(asset.description()), soci::use(asset.reference()), soci::use(source),
        soci::use(previous), soci::use(csa), soci::use(state), soci::use(asset.recorded_by()),
        soci::use(now), soci::use(now), soci::use(first);
    asset.set_id(LastInsertId(tx.session()));
    asset.set_etag(EtagOf(first));
    SetTimestamp(now_us, asset.mutable_create_time());
    SetTimestamp(now_us, asset.mutable_update_time());
    return asset;
  });
}

absl::StatusOr<Asset> GetAsset(Tx& tx, int64_t id, bool for_update) {
  CMS_ASSIGN_OR_RETURN(auto found,
                       GuardOr<std::optional<Asset>>([&]() -> absl::StatusOr<std::optional<Asset>> {
                         return SelectById(tx, id, for_update);
                       }));
  if (!found) return NotFound("asset", absl::StrCat(id));
  return *std::move(found);
}

absl::Status EndAsset(Tx& tx, Asset& asset, int64_t now_us) {
  return Guard([&] {
    asset.set_state(cms::v1::ASSET_STATE_CLOSED);
    std::string state = ShortName(asset.state());
    long long id = asset.id(), now = now_us;
    tx.session() << "UPDATE person_assets SET state = :s, end_reason = :r, ended_by = :by, "
                    "ended_us = :now, updated_us = :now2, version = version + 1 WHERE id = :id",
        soci::use(state), soci::use(asset.end_reason()), soci::use(asset.ended_by()),
        soci::use(now), soci::use(now), soci::use(id);
    asset.set_etag(NextEtag(asset.etag()));
    SetTimestamp(now_us, asset.mutable_update_time());
    SetTimestamp(now_us, asset.mutable_end_time());
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<Asset>> ListPersonAssets(Tx& tx, int64_t person_id, bool include_closed,
                                                    const PageRequest& page) {
  return GuardOr<std::vector<Asset>>([&]() -> absl::StatusOr<std::vector<Asset>> {
    long long person = person_id, after = page.after_id, limit = page.limit;
    int all = include_closed ? 1 : 0;
    std::vector<Asset> out;
    soci::rowset<soci::row> rows =
        (tx.session().prepare << absl::StrCat("SELECT ", kCols,
                                              " FROM person_assets WHERE person_id = :p AND id > "
                                              ":a AND (:all = 1 OR state = 'ACTIVE') ORDER BY id "
                                              "LIMIT :l"),
         soci::use(person), soci::use(after), soci::use(all), soci::use(limit));
    for (const soci::row& r : rows) out.push_back(AssetOf(r));
    return out;
  });
}

absl::StatusOr<std::map<cms::v1::AssetType, int>> CountActiveAssets(Tx& tx, int64_t person_id) {
  using Out = std::map<cms::v1::AssetType, int>;
  return GuardOr<Out>([&]() -> absl::StatusOr<Out> {
    long long person = person_id;
    Out out;
    soci::rowset<soci::row> rows =
        (tx.session().prepare << "SELECT type, COUNT(*) FROM person_assets WHERE person_id = :p "
                                 "AND state = 'ACTIVE' GROUP BY type",
         soci::use(person));
    for (const soci::row& r : rows) {
      out[EnumCol<cms::v1::AssetType>(r, 0)] += static_cast<int>(I64(r, 1));
    }
    return out;
  });
}

}  // namespace cms::store
