#include "tests/web/web_fixture.h"

#include <sodium.h>

#include "config/loader.h"
#include "station/journal_access.h"

namespace intake::web {

void WebFixture::SetUp() {
  state_.env.home = home_.path();
  state_.env.hostname = "testvaert";
  state_.config = config::Defaults();
  config::ResolveDefaults(state_.config, state_.env);
  storage::JournalOptions options = station::JournalOptionsFor(state_.config);
  options.users.pwhash_opslimit = crypto_pwhash_OPSLIMIT_MIN;
  options.users.pwhash_memlimit = crypto_pwhash_MEMLIMIT_MIN;
  options.idle_maintenance_ms = 0;
  auto journal = storage::OpenSqliteJournal(options);
  ASSERT_TRUE(journal) << journal.error().ToString();
  state_.journal = std::move(*journal);
  auto spool = storage::PageSpool::Open(state_.config.station.data_dir + "/spool");
  ASSERT_TRUE(spool) << spool.error().ToString();
  state_.spool = std::make_unique<storage::PageSpool>(std::move(*spool));
  server_options_.port = 0;
  server_ = std::make_unique<WebServer>(state_, server_options_);
  auto port = server_->StartInBackground();
  ASSERT_TRUE(port) << port.error().ToString();
  port_ = *port;
}

void WebFixture::TearDown() {
  if (server_) server_->Stop();
  server_.reset();
}

void WebFixture::AddUser(const std::string& name, storage::Role role,
                         const std::vector<std::string>& groups) {
  std::lock_guard<std::mutex> hold(state_.lock);
  storage::NewUser user;
  user.username = name;
  user.role = role;
  user.groups = groups;
  user.password = kTestPassword;
  auto added = state_.journal->users().AddUser(user, storage::Actor{"test"});
  ASSERT_TRUE(added) << added.error().ToString();
}

TestSession WebFixture::Login(const std::string& name, const std::string& password) {
  TestReply r = Post(nullptr, "/api/login", {{"username", name}, {"password", password}});
  EXPECT_EQ(r.status, 200) << r.body;
  TestSession s;
  const std::string set_cookie = r.Header("Set-Cookie");
  s.cookie = set_cookie.substr(0, set_cookie.find(';'));
  if (r.json.is_object() && r.json.contains("csrf_token")) {
    s.csrf = r.json["csrf_token"].get<std::string>();
  }
  return s;
}

namespace {

TestReply ToReply(const httplib::Result& res) {
  TestReply r;
  if (!res) {
    ADD_FAILURE() << "no HTTP answer: " << httplib::to_string(res.error());
    return r;
  }
  r.status = res->status;
  r.body = res->body;
  r.headers = res->headers;
  r.content_type = res->get_header_value("Content-Type");
  if (r.content_type.rfind("application/json", 0) == 0) {
    r.json = nlohmann::json::parse(r.body, nullptr, false);
  }
  return r;
}

}  // namespace

TestReply WebFixture::Get(const TestSession* session, const std::string& path) {
  httplib::Client client("127.0.0.1", port_);
  httplib::Headers headers;
  if (session != nullptr) headers.emplace("Cookie", session->cookie);
  return ToReply(client.Get(path, headers));
}

TestReply WebFixture::Send(const std::string& method, const TestSession* session,
                           const std::string& path, const std::string& body,
                           const std::string& content_type, bool with_csrf) {
  httplib::Client client("127.0.0.1", port_);
  httplib::Headers headers;
  if (session != nullptr) {
    headers.emplace("Cookie", session->cookie);
    if (with_csrf) headers.emplace(kCsrfHeader, session->csrf);
  }
  if (method == "POST") return ToReply(client.Post(path, headers, body, content_type));
  if (method == "PUT") return ToReply(client.Put(path, headers, body, content_type));
  if (method == "DELETE") return ToReply(client.Delete(path, headers, body, content_type));
  ADD_FAILURE() << "unknown method " << method;
  return {};
}

TestReply WebFixture::Post(const TestSession* session, const std::string& path,
                           const nlohmann::json& body, bool with_csrf) {
  return Send("POST", session, path, body.dump(), "application/json", with_csrf);
}

}  // namespace intake::web
