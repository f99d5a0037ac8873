//! The few WebDAV/CalDAV requests a sync needs, over a blocking HTTP client: list the calendar's
//! resources with their ETags (PROPFIND, depth 1), create the calendar when it is missing
//! (MKCALENDAR), put one event (PUT, with `If-None-Match: *` to create and `If-Match` to
//! update), and delete one (DELETE, with `If-Match`). Nothing else is asked of the server, so
//! any CalDAV server (Radicale, Nextcloud, Baïkal, Fastmail, iCloud with an app password) does.

use crate::{Error, Result};
use base64::Engine;
use quick_xml::events::Event;
use quick_xml::Reader;
use std::collections::BTreeMap;
use std::time::Duration;
use ureq::http::{Method, Request, Response};
use ureq::Body;

/// How long one request may take before the server counts as unreachable.
const TIMEOUT: Duration = Duration::from_secs(20);

/// What a request to the server came to.
#[derive(Debug, PartialEq, Eq)]
pub enum Answer {
    /// Done; the resource's new ETag when the server sent one.
    Done(Option<String>),
    /// The precondition failed (`If-Match`/`If-None-Match`): someone else changed it.
    Conflict,
    /// There is no such resource.
    Missing,
}

/// A CalDAV calendar collection, reached with a user and password.
pub struct Calendar {
    agent: ureq::Agent,
    /// The collection's URL, ending in `/`.
    url: String,
    authorization: String,
}

impl Calendar {
    /// The calendar at `url` for `user` with `password` (Basic authentication, which every
    /// server above speaks over TLS).
    pub fn new(url: &str, user: &str, password: &str) -> Result<Calendar> {
        let url = url.trim();
        let lower = url.to_ascii_lowercase();
        if !(lower.starts_with("https://") || lower.starts_with("http://")) {
            return Err(Error::invalid("caldav_url", "caldav_url"));
        }
        if url.parse::<ureq::http::Uri>().is_err() {
            return Err(Error::invalid("caldav_url", "caldav_url"));
        }
        let url = if url.ends_with('/') {
            url.to_string()
        } else {
            format!("{url}/")
        };
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .allow_non_standard_methods(true)
            .timeout_global(Some(TIMEOUT))
            .max_redirects(3)
            .build()
            .new_agent();
        let token = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
        Ok(Calendar {
            agent,
            url,
            authorization: format!("Basic {token}"),
        })
    }

    fn send(
        &self,
        method: &[u8],
        url: &str,
        headers: &[(&str, &str)],
        body: Option<(&str, &str)>,
    ) -> Result<Response<Body>> {
        let method = Method::from_bytes(method).map_err(|_| offline("method"))?;
        let mut request = Request::builder()
            .method(method)
            .uri(url)
            .header("Authorization", &self.authorization)
            .header("User-Agent", "Rapport");
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let request = match body {
            Some((kind, text)) => request
                .header("Content-Type", kind)
                .body(text.as_bytes().to_vec()),
            None => request.body(Vec::new()),
        }
        .map_err(|_| Error::invalid("caldav_url", "caldav_url"))?;
        let response = self.agent.run(request).map_err(|e| match e {
            ureq::Error::BadUri(_) => Error::invalid("caldav_url", "caldav_url"),
            other => offline(&other.to_string()),
        })?;
        match response.status().as_u16() {
            401 | 403 => Err(Error::invalid("caldav_password", "caldav_unauthorized")),
            _ => Ok(response),
        }
    }

    /// The calendar's resources that Rapport named (`rapport-….ics`), each with its ETag.
    /// `None` when there is no collection at the URL.
    pub fn list(&self) -> Result<Option<BTreeMap<String, Option<String>>>> {
        let body = r#"<?xml version="1.0" encoding="utf-8"?>
<d:propfind xmlns:d="DAV:"><d:prop><d:getetag/><d:resourcetype/></d:prop></d:propfind>"#;
        let mut response = self.send(
            b"PROPFIND",
            &self.url,
            &[("Depth", "1")],
            Some(("application/xml; charset=utf-8", body)),
        )?;
        match response.status().as_u16() {
            404 => return Ok(None),
            207 => {}
            other => return Err(refused(other)),
        }
        let text = response
            .body_mut()
            .with_config()
            .limit(256 * 1024 * 1024)
            .read_to_string()
            .map_err(|e| offline(&e.to_string()))?;
        let (is_calendar, found) = multistatus(&text, &self.url)?;
        if !is_calendar {
            return Err(Error::invalid("caldav_url", "caldav_not_calendar"));
        }
        Ok(Some(found))
    }

    /// Make the calendar at the URL (the advisor named one that does not exist yet).
    pub fn create(&self, name: &str) -> Result<()> {
        let body = format!(
            r#"<?xml version="1.0" encoding="utf-8"?>
<c:mkcalendar xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:set><d:prop><d:displayname>{}</d:displayname><c:supported-calendar-component-set><c:comp name="VEVENT"/></c:supported-calendar-component-set></d:prop></d:set></c:mkcalendar>"#,
            quick_xml::escape::escape(name)
        );
        let response = self.send(
            b"MKCALENDAR",
            &self.url,
            &[],
            Some(("application/xml; charset=utf-8", &body)),
        )?;
        match response.status().as_u16() {
            200..=299 => Ok(()),
            other => Err(refused(other)),
        }
    }

    /// Put `text` as the resource `name`: `Some(etag)` replaces only that version, `None`
    /// creates it only if it does not exist.
    pub fn put(&self, name: &str, text: &str, if_match: Option<&str>) -> Result<Answer> {
        let condition = match if_match {
            Some(etag) => ("If-Match", etag),
            None => ("If-None-Match", "*"),
        };
        let response = self.send(
            b"PUT",
            &format!("{}{name}", self.url),
            &[condition],
            Some(("text/calendar; charset=utf-8", text)),
        )?;
        answer(&response)
    }

    /// Put `text` as the resource `name` whatever is there.
    pub fn overwrite(&self, name: &str, text: &str) -> Result<Answer> {
        let response = self.send(
            b"PUT",
            &format!("{}{name}", self.url),
            &[],
            Some(("text/calendar; charset=utf-8", text)),
        )?;
        answer(&response)
    }

    /// Delete the resource `name`, only in the version `etag` when one is given.
    pub fn delete(&self, name: &str, if_match: Option<&str>) -> Result<Answer> {
        let headers: Vec<(&str, &str)> = if_match.map(|e| ("If-Match", e)).into_iter().collect();
        let response = self.send(b"DELETE", &format!("{}{name}", self.url), &headers, None)?;
        answer(&response)
    }

    /// The ETag the resource `name` has now (for servers that answer a PUT without one).
    pub fn etag(&self, name: &str) -> Result<Option<String>> {
        let response = self.send(b"HEAD", &format!("{}{name}", self.url), &[], None)?;
        match answer(&response)? {
            Answer::Done(etag) => Ok(etag),
            _ => Ok(None),
        }
    }
}

fn answer(response: &Response<Body>) -> Result<Answer> {
    match response.status().as_u16() {
        200..=299 => Ok(Answer::Done(
            response
                .headers()
                .get("ETag")
                .and_then(|v| v.to_str().ok())
                .map(str::to_string),
        )),
        412 => Ok(Answer::Conflict),
        404 | 410 => Ok(Answer::Missing),
        other => Err(refused(other)),
    }
}

/// The server cannot be reached (no network, a timeout, a TLS failure): what is not sent yet
/// stays pending.
fn offline(detail: &str) -> Error {
    // The detail names hosts and protocol steps, never anything of the book.
    Error::invalid_with("caldav_url", "caldav_offline", detail.to_string())
}

fn refused(status: u16) -> Error {
    Error::invalid_with("caldav_url", "caldav_refused", status.to_string())
}

/// The last segment of an href, percent-decoded: servers answer with full, encoded paths.
fn name_of(href: &str) -> String {
    let last = href.trim_end_matches('/').rsplit('/').next().unwrap_or("");
    percent_encoding::percent_decode_str(last)
        .decode_utf8_lossy()
        .into_owned()
}

/// Read a PROPFIND multistatus: whether the collection itself is a calendar, and the names and
/// ETags of the `rapport-*.ics` resources in it.
fn multistatus(text: &str, url: &str) -> Result<(bool, BTreeMap<String, Option<String>>)> {
    let own_path = url
        .split_once("://")
        .map(|(_, rest)| rest.find('/').map(|i| &rest[i..]).unwrap_or("/"))
        .unwrap_or("/");
    let own = name_of(own_path);
    let mut reader = Reader::from_str(text);
    reader.config_mut().trim_text(true);
    let mut found = BTreeMap::new();
    let mut is_calendar = false;
    let (mut href, mut etag, mut calendar) = (String::new(), None::<String>, false);
    let mut inside = Vec::<String>::new();
    // Text comes in pieces: entities (`&quot;` in an ETag) are events of their own.
    let mut text_seen = String::new();
    loop {
        let event = reader
            .read_event()
            .map_err(|_| Error::invalid("caldav_url", "caldav_not_calendar"))?;
        match event {
            Event::Start(e) => {
                let local = e.local_name().as_ref().to_string();
                if local == "response" {
                    (href, etag, calendar) = (String::new(), None, false);
                }
                text_seen.clear();
                inside.push(local);
            }
            Event::Empty(e)
                if e.local_name().as_ref() == "calendar"
                    && inside.last().map(String::as_str) == Some("resourcetype") =>
            {
                calendar = true;
            }
            Event::Text(t) => text_seen.push_str(&t.xml10_content()),
            Event::CData(t) => text_seen.push_str(&t.xml10_content()),
            Event::GeneralRef(r) => {
                if let Ok(Some(c)) = r.resolve_char_ref() {
                    text_seen.push(c);
                } else {
                    text_seen.push_str(match r.xml10_content().as_ref() {
                        "quot" => "\"",
                        "amp" => "&",
                        "apos" => "'",
                        "lt" => "<",
                        "gt" => ">",
                        _ => "",
                    });
                }
            }
            Event::End(e) => {
                let local = inside.pop().unwrap_or_default();
                let parent = inside.last().map(String::as_str);
                match (local.as_str(), parent) {
                    ("href", Some("response")) => href = text_seen.trim().to_string(),
                    ("getetag", _) => etag = Some(text_seen.trim().to_string()),
                    _ => {}
                }
                text_seen.clear();
                if e.local_name().as_ref() == "response" {
                    let name = name_of(&href);
                    if href.ends_with('/') || name == own {
                        is_calendar |= calendar;
                    } else if name.starts_with(super::PREFIX) && name.ends_with(".ics") {
                        found.insert(name, etag.take());
                    }
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok((is_calendar, found))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_multistatus_gives_our_resources_and_whether_it_is_a_calendar() {
        let text = r#"<?xml version="1.0"?>
<multistatus xmlns="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
<response><href>/advisor/rapport/</href><propstat><prop><resourcetype><collection/><C:calendar/></resourcetype><getetag>"c1"</getetag></prop></propstat></response>
<response><href>/advisor/rapport/rapport-follow_up.40.ics</href><propstat><prop><getetag>"e40"</getetag><resourcetype/></prop></propstat></response>
<response><href>/advisor/rapport/rapport-birthday.client.12.2026-12-03.ics</href><propstat><prop><getetag>&quot;e12&quot;</getetag><resourcetype/></prop></propstat></response>
<response><href>/advisor/rapport/dentist.ics</href><propstat><prop><getetag>"x"</getetag><resourcetype/></prop></propstat></response>
</multistatus>"#;
        let (calendar, found) =
            multistatus(text, "http://127.0.0.1:5232/advisor/rapport/").unwrap();
        assert!(calendar);
        assert_eq!(
            found.len(),
            2,
            "someone else's event is never ours: {found:?}"
        );
        assert_eq!(
            found.get("rapport-follow_up.40.ics"),
            Some(&Some("\"e40\"".to_string()))
        );
        assert_eq!(
            found.get("rapport-birthday.client.12.2026-12-03.ics"),
            Some(&Some("\"e12\"".to_string())),
            "an ETag written with entities"
        );
    }

    #[test]
    fn a_plain_folder_is_not_a_calendar() {
        let text = r#"<?xml version="1.0"?>
<d:multistatus xmlns:d="DAV:"><d:response><d:href>/advisor/</d:href><d:propstat><d:prop><d:resourcetype><d:collection/></d:resourcetype></d:prop></d:propstat></d:response></d:multistatus>"#;
        let (calendar, found) = multistatus(text, "http://h/advisor/").unwrap();
        assert!(!calendar);
        assert!(found.is_empty());
    }
}
