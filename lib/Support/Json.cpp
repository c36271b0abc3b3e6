//===- Json.cpp - The project's JSON: nlohmann/json, no exceptions -------===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//

#include "gelu/Support/Json.h"

#include "gelu/Support/Quote.h"

#include <set>
#include <string>
#include <vector>

namespace gelu {

namespace {
/// Collects the parse error instead of throwing it, and refuses a field
/// given twice in one object (the DOM parser would keep the last).
struct RecordingSax : nlohmann::detail::json_sax_dom_parser<Json> {
  using Base = nlohmann::detail::json_sax_dom_parser<Json>;
  explicit RecordingSax(Json &result) : Base(result, false) {}

  bool start_object(std::size_t elements) {
    keys.emplace_back();
    path.emplace_back();
    return Base::start_object(elements);
  }
  bool end_object() {
    keys.pop_back();
    path.pop_back();
    return Base::end_object();
  }
  bool key(std::string &name) {
    if (!keys.back().insert(name).second) {
      std::string where;
      for (size_t i = 0; i + 1 < path.size(); ++i)
        where += "/" + bounded(path[i]);
      message = "at " + (where.empty() ? std::string("/") : where) +
                ": the field '" + bounded(name) +
                "' is given twice (one object has one of each)";
      return false;
    }
    path.back() = name;
    return Base::key(name);
  }
  bool parse_error(std::size_t, const std::string &lastToken,
                   const nlohmann::detail::exception &ex) {
    message = ex.what();
    // nlohmann's prefix ("[json.exception.parse_error.101] ") says nothing
    // to a user.
    if (llvm::StringRef(message).starts_with("[json.exception."))
      message.erase(0, message.find("] ") + 2);
    // The message quotes the token read last, which may be a whole
    // unterminated 100 MB string.
    size_t at = lastToken.size() > kQuotedBytes ? message.find(lastToken)
                                                : std::string::npos;
    if (at != std::string::npos)
      message.replace(at, lastToken.size(), bounded(lastToken));
    return false;
  }
  std::string message;
  /// Per open object: the fields seen, and the one being read.
  std::vector<std::set<std::string>> keys;
  std::vector<std::string> path;
};
} // namespace

std::string dumpJson(const Json &value, int indent) {
  return value.dump(indent, ' ', /*ensure_ascii=*/false,
                    Json::error_handler_t::replace);
}

std::string dumpJson(const OrderedJson &value, int indent) {
  return value.dump(indent, ' ', /*ensure_ascii=*/false,
                    OrderedJson::error_handler_t::replace);
}

llvm::Expected<Json> parseJson(llvm::StringRef text) {
  Json root;
  RecordingSax sax(root);
  Json::sax_parse(text.begin(), text.end(), &sax);
  if (!sax.message.empty())
    return llvm::createStringError(sax.message);
  return root;
}

} // namespace gelu
