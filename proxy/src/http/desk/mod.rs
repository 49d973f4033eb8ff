//! The owner's desk at `/desk/`: the shop's deliveries on pages the proxy serves itself, for owners whose
//! site has no back office that could call the shipments API. Every page goes through the same calls as
//! that API (the list and its filters, a shipment, cancel, retry, label, courier, the report); nothing here
//! reaches a carrier or the ledger another way. The pages are HTML made on the server, without scripts.

mod lang;
mod pages;
mod session;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Path, Query, Request};
use axum::http::header::{
    CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_SECURITY_POLICY, CONTENT_TYPE, LOCATION, REFERRER_POLICY, SET_COOKIE,
    X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS,
};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Router};
use maud::Markup;
use serde::Deserialize;
use time::OffsetDateTime;

use super::AppState;
use super::shipments::{ListParams, page as list_page, report_lines};
use crate::Error;
use crate::shipments::LabelAnswer;
use crate::shipments::model::{Contact, CourierCallRequest, Recipient, ShipmentFix, State};
use lang::Lang;
use pages::{Filters, Frame, Names, Notice, Section};
pub use session::hash_password;
use session::{Session, Sessions};

/// Largest form the desk takes: a courier call for a few hundred shipments.
const MAX_FORM_BYTES: usize = 64 * 1024;
/// Deliveries a page of the list shows.
const PAGE: &str = "50";

/// The desk's own state: its password, sessions and sign-in attempts.
pub struct Desk {
    hash: Option<crate::config::Secret>,
    sessions: Sessions,
    trusted: Vec<ipnet::IpNet>,
}

impl Desk {
    pub fn new(config: &crate::Config) -> Self {
        let secure = config.public_url.as_ref().is_some_and(|u| u.scheme() == "https");
        Self {
            hash: config.desk_password_hash.clone(),
            sessions: Sessions::new(config.desk_idle, secure),
            trusted: config.trusted_proxies.clone(),
        }
    }
}

pub fn routes(desk: Arc<Desk>) -> Router<AppState> {
    Router::new()
        .route("/desk", get(|| async { redirect("/desk/") }))
        .route("/desk/", get(deliveries))
        .route("/desk/desk.css", get(stylesheet))
        .route("/desk/favicon.svg", get(icon))
        .route("/desk/sign-in", get(sign_in_page).post(sign_in))
        .route("/desk/sign-out", post(sign_out))
        .route("/desk/lang/{code}", get(choose_lang))
        .route("/desk/shipments/{id}", get(shipment))
        .route("/desk/shipments/{id}/label", get(label))
        .route("/desk/shipments/{id}/cancel", post(cancel))
        .route("/desk/shipments/{id}/retry", post(retry))
        .route("/desk/courier", get(courier_page).post(courier))
        .route("/desk/reports", get(reports))
        .route("/desk/reports/{file}", get(report_csv))
        .route("/desk/health", get(health))
        .layer(axum::middleware::from_fn(protect))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(MAX_FORM_BYTES))
        .layer(Extension(desk))
}

/// What every desk answer carries: no caching, no framing, no scripts, no other site's resources.
async fn protect(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(
        CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        ),
    );
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    response
}

async fn stylesheet() -> Response {
    ([(CONTENT_TYPE, "text/css; charset=utf-8")], include_str!("desk.css")).into_response()
}

async fn icon() -> Response {
    let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#7a3e9d"/><path d="M4 5h8v7H4z" fill="#fff"/></svg>"##;
    ([(CONTENT_TYPE, "image/svg+xml")], svg).into_response()
}

fn redirect(to: &str) -> Response {
    let location = HeaderValue::from_str(to).unwrap_or_else(|_| HeaderValue::from_static("/desk/"));
    (StatusCode::SEE_OTHER, [(LOCATION, location)]).into_response()
}

fn html(status: StatusCode, markup: Markup) -> Response {
    (status, [(CONTENT_TYPE, "text/html; charset=utf-8")], markup.into_string()).into_response()
}

/// A refusal outside a session's pages.
fn refusal(lang: Lang, status: StatusCode, text: String) -> Response {
    let title = lang.t("Не выполнено", "Not done");
    html(
        status,
        pages::bare(
            lang,
            title,
            Some(&Notice::Failed(text)),
            maud::html! { p { a href="/desk/" { (lang.t("На главную страницу доставок", "To the deliveries")) } } },
        ),
    )
}

/// The page saying the desk is off and how to turn it on.
fn off(headers: &HeaderMap) -> Response {
    let lang = Lang::of(headers);
    let title = lang.t("Доставки выключены", "The desk is off");
    html(StatusCode::NOT_FOUND, pages::bare(lang, title, None, pages::off(lang)))
}

/// The signed-in owner's session. A page that takes it sends anyone without one to sign in (or says the desk
/// is off).
struct SignedIn(Arc<Session>);

impl<S: Send + Sync> FromRequestParts<S> for SignedIn {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, _: &S) -> Result<Self, Response> {
        let Some(desk) = parts.extensions.get::<Arc<Desk>>().cloned() else {
            return Err(Error::Internal("the desk is not set up".into()).into_response());
        };
        if desk.hash.is_none() {
            return Err(off(&parts.headers));
        }
        desk.sessions.find(&parts.headers).map(|(_, s)| SignedIn(s)).ok_or_else(|| redirect("/desk/sign-in"))
    }
}

/// A form's fields, sent from the desk's own page in a live session with that session's token: anything
/// else is refused before a handler sees it.
struct Posted {
    session: Arc<Session>,
    fields: Vec<(String, String)>,
}

impl<S: Send + Sync> FromRequest<S> for Posted {
    type Rejection = Response;

    async fn from_request(request: Request, state: &S) -> Result<Self, Response> {
        let (mut parts, body) = request.into_parts();
        let lang = Lang::of(&parts.headers);
        if !session::same_origin(&parts.headers) {
            let text = lang.t("Форма пришла не со страницы доставок.", "The form did not come from the desk's page.");
            return Err(refusal(lang, StatusCode::FORBIDDEN, text.into()));
        }
        let SignedIn(session) = SignedIn::from_request_parts(&mut parts, state).await?;
        let bytes = axum::body::to_bytes(body, MAX_FORM_BYTES)
            .await
            .map_err(|_| Error::PayloadTooLarge(MAX_FORM_BYTES).into_response())?;
        let fields: Vec<(String, String)> = form_urlencoded::parse(&bytes).into_owned().collect();
        if !session.csrf_matches(field(&fields, "csrf")) {
            let text = lang.t(
                "Форма устарела или пришла не со страницы доставок: откройте страницу снова.",
                "The form is out of date or not from the desk: open the page again.",
            );
            return Err(refusal(lang, StatusCode::FORBIDDEN, text.into()));
        }
        Ok(Self { session, fields })
    }
}

fn field<'a>(fields: &'a [(String, String)], name: &str) -> &'a str {
    fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.trim()).unwrap_or_default()
}

/// The service's refusal, in the owner's page.
fn failed(err: &Error) -> Notice {
    Notice::Failed(err.public_message())
}

/// The titles of every carrier and the addresses of the points `point_ids` names.
fn names<'a>(state: &AppState, point_ids: impl IntoIterator<Item = &'a str>) -> Names {
    let network = state.network.current();
    Names {
        carriers: network.carriers().map(|c| (c.name.0.clone(), c.title.clone())).collect(),
        points: point_ids
            .into_iter()
            .filter_map(|id| Some((id.to_string(), network.get(id)?.address.full.clone())))
            .collect(),
    }
}

fn frame<'a>(headers: &HeaderMap, session: &'a Session, section: Option<Section>, path: &'a str) -> Frame<'a> {
    Frame { lang: Lang::of(headers), csrf: &session.csrf, section, path }
}

async fn sign_in_page(Extension(desk): Extension<Arc<Desk>>, headers: HeaderMap) -> Response {
    let lang = Lang::of(&headers);
    if desk.hash.is_none() {
        return off(&headers);
    }
    html(StatusCode::OK, pages::bare(lang, lang.t("Вход", "Sign in"), None, pages::sign_in(lang)))
}

async fn sign_in(
    Extension(desk): Extension<Arc<Desk>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let lang = Lang::of(&headers);
    let Some(hash) = desk.hash.clone() else { return redirect("/desk/") };
    if !session::same_origin(&headers) {
        return refusal(
            lang,
            StatusCode::FORBIDDEN,
            lang.t("Форма пришла не со страницы доставок.", "The form did not come from the desk's page.").into(),
        );
    }
    let client = super::guard::client_ip(&desk.trusted, peer.ip(), &headers);
    let again = |status: StatusCode, text: String| {
        html(status, pages::bare(lang, lang.t("Вход", "Sign in"), Some(&Notice::Failed(text)), pages::sign_in(lang)))
    };
    if !desk.sessions.may_try(client) {
        let minutes = Sessions::lockout_minutes();
        let text = match lang {
            Lang::Ru => format!("Слишком много неверных попыток: попробуйте снова через {minutes} минут."),
            Lang::En => format!("Too many wrong passwords: try again in {minutes} minutes."),
        };
        let mut response = again(StatusCode::TOO_MANY_REQUESTS, text);
        response.headers_mut().insert("retry-after", HeaderValue::from(minutes * 60));
        return response;
    }
    let fields: Vec<(String, String)> = form_urlencoded::parse(&body).into_owned().collect();
    let password = fields.iter().find(|(k, _)| k == "password").map(|(_, v)| v.clone()).unwrap_or_default();
    let right = tokio::task::spawn_blocking(move || session::verify(hash.expose(), &password)).await.unwrap_or(false);
    if !right {
        desk.sessions.failed(client);
        tracing::warn!(%client, "wrong desk password");
        return again(StatusCode::UNAUTHORIZED, lang.t("Неверный пароль.", "Wrong password.").into());
    }
    desk.sessions.signed_in(client);
    match desk.sessions.open() {
        Some(cookie) => {
            let mut response = redirect("/desk/");
            response.headers_mut().insert(SET_COOKIE, cookie);
            response
        }
        None => Error::Internal("no session could be made".into()).into_response(),
    }
}

async fn sign_out(Extension(desk): Extension<Arc<Desk>>, headers: HeaderMap, _: Posted) -> Response {
    let mut response = redirect("/desk/sign-in");
    if let Some((token, _)) = desk.sessions.find(&headers) {
        response.headers_mut().insert(SET_COOKIE, desk.sessions.close(&token));
    }
    response
}

#[derive(Debug, Deserialize)]
struct Back {
    to: Option<String>,
}

async fn choose_lang(Path(code): Path<String>, Query(back): Query<Back>) -> Response {
    let Some(lang) = Lang::parse(&code) else { return redirect("/desk/") };
    // Only back to one of the desk's own pages.
    let to = back.to.filter(|t| t.starts_with("/desk/") && !t.contains("//")).unwrap_or_else(|| "/desk/".into());
    let mut response = redirect(&to);
    let cookie = format!("{}={}; Path=/desk; SameSite=Strict; Max-Age=31536000", lang::COOKIE_NAME, lang.code());
    if let Ok(cookie) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(SET_COOKIE, cookie);
    }
    response
}

#[derive(Debug, Default, Deserialize)]
struct ListQuery {
    number: Option<String>,
    state: Option<String>,
    carrier: Option<String>,
    from: Option<String>,
    to: Option<String>,
    cursor: Option<String>,
}

fn filled(value: Option<String>) -> Option<String> {
    value.map(|v| v.trim().to_string()).filter(|v| !v.is_empty())
}

async fn deliveries(
    axum::extract::State(state): axum::extract::State<AppState>,
    SignedIn(session): SignedIn,
    headers: HeaderMap,
    query: Result<Query<ListQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let Query(q) = query.unwrap_or_default();
    let filters = Filters {
        number: q.number.clone().unwrap_or_default(),
        state: q.state.clone().unwrap_or_default(),
        carrier: q.carrier.clone().unwrap_or_default(),
        from: q.from.clone().unwrap_or_default(),
        to: q.to.clone().unwrap_or_default(),
    };
    let paged = q.cursor.is_some();
    let params = ListParams {
        number: filled(q.number),
        state: filled(q.state),
        carrier: filled(q.carrier),
        from: filled(q.from),
        to: filled(q.to),
        cursor: filled(q.cursor),
        limit: Some(PAGE.into()),
        ..ListParams::default()
    };
    let frame = frame(&headers, &session, Some(Section::Deliveries), "/desk/");
    let title = frame.lang.t("Доставки", "Deliveries");
    match list_page(&state, params).await {
        Ok(found) => {
            let names = names(&state, found.shipments.iter().map(|s| s.point_id.as_str()));
            let body =
                pages::deliveries(&frame, &filters, &names, &found.shipments, found.next_cursor.as_deref(), paged);
            html(StatusCode::OK, pages::page(&frame, title, None, body))
        }
        Err(err) => {
            let body = pages::deliveries(&frame, &filters, &names(&state, []), &[], None, paged);
            html(err.status(), pages::page(&frame, title, Some(&failed(&err)), body))
        }
    }
}

#[derive(Debug, Deserialize)]
struct Done {
    done: Option<String>,
}

async fn shipment(
    axum::extract::State(state): axum::extract::State<AppState>,
    SignedIn(session): SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(done): Query<Done>,
) -> Response {
    let lang = Lang::of(&headers);
    let notice = match done.done.as_deref() {
        Some("cancelled") => Some(Notice::Done(lang.t("Доставка отменена.", "The delivery is cancelled.").into())),
        Some("retried") => {
            Some(Notice::Done(lang.t("Отправлено перевозчику снова.", "Sent to the carrier again.").into()))
        }
        _ => None,
    };
    show_shipment(&state, &headers, &session, &id, notice, StatusCode::OK).await
}

async fn show_shipment(
    state: &AppState,
    headers: &HeaderMap,
    session: &Session,
    id: &str,
    notice: Option<Notice>,
    status: StatusCode,
) -> Response {
    let path = format!("/desk/shipments/{id}");
    let frame = frame(headers, session, Some(Section::Deliveries), &path);
    let lang = frame.lang;
    match state.shipments.get(id).await {
        Ok(s) => {
            let title = match lang {
                Lang::Ru => format!("Заказ {}", s.order_number),
                Lang::En => format!("Order {}", s.order_number),
            };
            let names = names(state, [s.point_id.as_str()]);
            html(status, pages::page(&frame, &title, notice.as_ref(), pages::shipment(&frame, &names, &s)))
        }
        Err(err) => {
            let title = lang.t("Доставка не найдена", "No such delivery");
            html(err.status(), pages::page(&frame, title, Some(&failed(&err)), maud::html! {}))
        }
    }
}

async fn label(
    axum::extract::State(state): axum::extract::State<AppState>,
    SignedIn(session): SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let lang = Lang::of(&headers);
    match state.shipments.label(&id).await {
        Ok(LabelAnswer::Pdf(pdf)) => {
            let disposition = HeaderValue::from_str(&format!("inline; filename=\"{id}.pdf\""))
                .unwrap_or_else(|_| HeaderValue::from_static("inline"));
            ([(CONTENT_TYPE, HeaderValue::from_static("application/pdf")), (CONTENT_DISPOSITION, disposition)], pdf)
                .into_response()
        }
        Ok(LabelAnswer::Preparing) => {
            let text = lang.t(
                "Перевозчик ещё готовит ярлык: откройте его снова через минуту.",
                "The carrier is still making the label: open it again in a minute.",
            );
            show_shipment(&state, &headers, &session, &id, Some(Notice::Failed(text.into())), StatusCode::ACCEPTED)
                .await
        }
        Err(err) => show_shipment(&state, &headers, &session, &id, Some(failed(&err)), err.status()).await,
    }
}

async fn cancel(
    axum::extract::State(state): axum::extract::State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    posted: Posted,
) -> Response {
    let Posted { session, .. } = posted;
    match state.shipments.cancel(&id).await {
        Ok(_) => redirect(&format!("/desk/shipments/{id}?done=cancelled")),
        Err(err) => show_shipment(&state, &headers, &session, &id, Some(failed(&err)), err.status()).await,
    }
}

async fn retry(
    axum::extract::State(state): axum::extract::State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    posted: Posted,
) -> Response {
    let Posted { session, fields } = posted;
    let shipment = match state.shipments.get(&id).await {
        Ok(shipment) => shipment,
        Err(err) => return show_shipment(&state, &headers, &session, &id, Some(failed(&err)), err.status()).await,
    };
    let fix = ShipmentFix {
        recipient: Some(Recipient {
            name: field(&fields, "name").to_string(),
            phone: field(&fields, "phone").to_string(),
            email: shipment.recipient.email,
        }),
        point_id: Some(field(&fields, "point_id").to_string()),
    };
    match state.shipments.retry(&id, fix).await {
        Ok(_) => redirect(&format!("/desk/shipments/{id}?done=retried")),
        Err(err) => show_shipment(&state, &headers, &session, &id, Some(failed(&err)), err.status()).await,
    }
}

/// Registered shipments a courier may collect: the first page of them.
async fn waiting(state: &AppState) -> Result<Vec<crate::shipments::model::Shipment>, Error> {
    let params = ListParams {
        state: Some(State::Registered.as_str().into()),
        limit: Some("200".into()),
        ..ListParams::default()
    };
    Ok(list_page(state, params).await?.shipments)
}

fn tomorrow() -> String {
    (OffsetDateTime::now_utc().date() + time::Duration::days(1)).to_string()
}

async fn courier_page(
    axum::extract::State(state): axum::extract::State<AppState>,
    SignedIn(session): SignedIn,
    headers: HeaderMap,
) -> Response {
    courier_answer(&state, &headers, &session, None, StatusCode::OK, None).await
}

async fn courier_answer(
    state: &AppState,
    headers: &HeaderMap,
    session: &Session,
    made: Option<crate::shipments::model::CourierCall>,
    status: StatusCode,
    notice: Option<Notice>,
) -> Response {
    let frame = frame(headers, session, Some(Section::Courier), "/desk/courier");
    let title = frame.lang.t("Вызов курьера", "Call a courier");
    let listed = async { Ok::<_, Error>((waiting(state).await?, state.shipments.courier_requests(50).await?)) };
    match listed.await {
        Ok((list, taken)) => {
            let names = names(state, []);
            let body = pages::courier(&frame, &names, &list, made.as_ref(), &taken, &tomorrow());
            html(status, pages::page(&frame, title, notice.as_ref(), body))
        }
        Err(err) => html(err.status(), pages::page(&frame, title, Some(&failed(&err)), maud::html! {})),
    }
}

async fn courier(
    axum::extract::State(state): axum::extract::State<AppState>,
    headers: HeaderMap,
    posted: Posted,
) -> Response {
    let Posted { session, fields } = posted;
    let lang = Lang::of(&headers);
    let ids: Vec<String> = fields.iter().filter(|(k, _)| k == "shipment").map(|(_, v)| v.clone()).collect();
    let Some(first) = ids.first() else {
        let text = lang.t("Отметьте доставки, которые заберёт курьер.", "Tick the deliveries the courier collects.");
        return courier_answer(
            &state,
            &headers,
            &session,
            None,
            StatusCode::BAD_REQUEST,
            Some(Notice::Failed(text.into())),
        )
        .await;
    };
    let carrier = match state.shipments.get(first).await {
        Ok(shipment) => shipment.carrier,
        Err(err) => return courier_answer(&state, &headers, &session, None, err.status(), Some(failed(&err))).await,
    };
    let request = CourierCallRequest {
        carrier,
        date: field(&fields, "date").to_string(),
        time_from: field(&fields, "time_from").to_string(),
        time_to: field(&fields, "time_to").to_string(),
        shipment_ids: ids,
        contact: Contact {
            name: field(&fields, "name").to_string(),
            phone: field(&fields, "phone").to_string(),
            address: field(&fields, "address").to_string(),
        },
    };
    match state.shipments.call_courier(request).await {
        Ok(call) => {
            let text = lang.t("Курьер вызван.", "The courier is called.");
            courier_answer(&state, &headers, &session, Some(call), StatusCode::OK, Some(Notice::Done(text.into())))
                .await
        }
        Err(err) => courier_answer(&state, &headers, &session, None, err.status(), Some(failed(&err))).await,
    }
}

#[derive(Debug, Deserialize)]
struct Period {
    from: Option<String>,
    to: Option<String>,
}

impl Period {
    /// The period asked for; by default from the first of this month to tomorrow.
    fn days(self) -> (String, String) {
        let today = OffsetDateTime::now_utc().date();
        let first = today.replace_day(1).unwrap_or(today);
        (
            filled(self.from).unwrap_or_else(|| first.to_string()),
            filled(self.to).unwrap_or_else(|| (today + time::Duration::days(1)).to_string()),
        )
    }
}

async fn reports(
    axum::extract::State(state): axum::extract::State<AppState>,
    SignedIn(session): SignedIn,
    headers: HeaderMap,
    query: Result<Query<Period>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let (from, to) = query.map(|Query(p)| p).unwrap_or(Period { from: None, to: None }).days();
    let frame = frame(&headers, &session, Some(Section::Reports), "/desk/reports");
    let title = frame.lang.t("Отчёты", "Reports");
    match report_lines(&state, Some(&from), Some(&to)).await {
        Ok(lines) => {
            let body = pages::reports(&frame, &names(&state, []), &from, &to, &lines);
            html(StatusCode::OK, pages::page(&frame, title, None, body))
        }
        Err(err) => {
            let body = pages::reports(&frame, &names(&state, []), &from, &to, &[]);
            html(err.status(), pages::page(&frame, title, Some(&failed(&err)), body))
        }
    }
}

async fn report_csv(
    axum::extract::State(state): axum::extract::State<AppState>,
    _: SignedIn,
    headers: HeaderMap,
    Path(file): Path<String>,
    query: Result<Query<Period>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let lang = Lang::of(&headers);
    let kind = match file.as_str() {
        "statuses.csv" => crate::shipments::model::ReportKind::Statuses,
        "costs.csv" => crate::shipments::model::ReportKind::Costs,
        _ => return refusal(lang, StatusCode::NOT_FOUND, lang.t("Такого отчёта нет.", "No such report.").into()),
    };
    let (from, to) = query.map(|Query(p)| p).unwrap_or(Period { from: None, to: None }).days();
    match report_lines(&state, Some(&from), Some(&to)).await {
        Ok(lines) => {
            let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{}-{from}-{to}\"", file))
                .unwrap_or_else(|_| HeaderValue::from_static("attachment"));
            (
                [
                    (CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8")),
                    (CONTENT_DISPOSITION, disposition),
                ],
                kind.excel(&lines),
            )
                .into_response()
        }
        Err(err) => refusal(lang, err.status(), err.public_message()),
    }
}

async fn health(
    axum::extract::State(state): axum::extract::State<AppState>,
    SignedIn(session): SignedIn,
    headers: HeaderMap,
) -> Response {
    let frame = frame(&headers, &session, Some(Section::Health), "/desk/health");
    let now = OffsetDateTime::now_utc();
    let quotas = state.tracking.quotas();
    let carriers: Vec<pages::CarrierHealth> = state
        .network
        .current()
        .carriers()
        .map(|c| pages::CarrierHealth {
            title: c.title.clone(),
            points: c.points,
            synced: lang::when(&pvz_shared::dates::format_time(c.refreshed_at)),
            age_minutes: (now - c.refreshed_at).whole_minutes(),
            skipped: state.metrics.skipped(&c.name.0),
            failed_calls: state.metrics.failed_calls(&c.name.0),
            quota: quotas.iter().find(|(name, _, _)| name == &c.name).map(|(_, used, limit)| (*used, *limit)),
        })
        .collect();
    let title = frame.lang.t("Состояние", "Health");
    match state.shipments.undelivered_events().await {
        Ok(events) => html(
            StatusCode::OK,
            pages::page(
                &frame,
                title,
                None,
                pages::health(&frame, &carriers, &crate::carriers::breaker::paused(), events),
            ),
        ),
        Err(err) => html(err.status(), pages::page(&frame, title, Some(&failed(&err)), maud::html! {})),
    }
}
