//! The SOAP 1.2 side of Russian Post's tracking service (`getOperationHistory`): the request, built with
//! every value escaped (a track number is user input), and the answer, read leniently. Real answers omit
//! elements the schema requires and use whatever namespace prefixes they like, so elements are matched by
//! their local names and the path that leads to them, and anything unknown is passed over.

use quick_xml::escape::{escape, resolve_predefined_entity};
use quick_xml::events::Event;

/// Larger answers are refused: a parcel's whole history is a few kilobytes.
pub const MAX_ANSWER_BYTES: usize = 2 << 20;
/// Records kept at most; a real history has tens.
const MAX_RECORDS: usize = 1_000;
/// Deeper nesting than any real answer has is refused.
const MAX_DEPTH: usize = 64;

/// The `getOperationHistory` envelope for `barcode` (message type 0: the history of one item, in Russian).
pub fn request(barcode: &str, login: &str, password: &str) -> String {
    format!(
        concat!(
            r#"<?xml version="1.0" encoding="UTF-8"?>"#,
            r#"<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope""#,
            r#" xmlns:oh="http://russianpost.org/operationhistory" xmlns:data="http://russianpost.org/operationhistory/data">"#,
            "<soap:Header/><soap:Body><oh:getOperationHistory>",
            "<data:OperationHistoryRequest><data:Barcode>{barcode}</data:Barcode>",
            "<data:MessageType>0</data:MessageType><data:Language>RUS</data:Language></data:OperationHistoryRequest>",
            r#"<data:AuthorizationHeader soap:mustUnderstand="1"><data:login>{login}</data:login>"#,
            "<data:password>{password}</data:password></data:AuthorizationHeader>",
            "</oh:getOperationHistory></soap:Body></soap:Envelope>"
        ),
        barcode = escape(barcode),
        login = escape(login),
        password = escape(password),
    )
}

/// One operation of the history, with what the answer gave of it.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Record {
    pub oper_type: Option<u16>,
    pub oper_type_name: Option<String>,
    pub oper_attr: Option<u16>,
    pub oper_attr_name: Option<String>,
    /// `xs:dateTime` as written, e.g. `2026-11-20T10:15:00.000+03:00`.
    pub date: Option<String>,
    /// Where the operation took place: its postcode and its name ("Москва 162").
    pub place_index: Option<String>,
    pub place: Option<String>,
    /// The postcode the item is addressed to.
    pub destination_index: Option<String>,
}

/// What the service answered.
#[derive(Debug, PartialEq, Eq)]
pub enum Reply {
    /// The item's operations, oldest first as the service lists them; none for an unknown number.
    History(Vec<Record>),
    /// A SOAP fault: `authorization` when it is about the login.
    Fault { authorization: bool, text: String },
}

/// Reads a `getOperationHistory` answer or a SOAP fault; an error names what was wrong with the body.
pub fn parse(body: &[u8]) -> Result<Reply, String> {
    if body.len() > MAX_ANSWER_BYTES {
        return Err(format!("the answer is larger than {MAX_ANSWER_BYTES} bytes"));
    }
    let mut reader = quick_xml::Reader::from_reader(body);
    let mut path: Vec<String> = Vec::new();
    let mut text = String::new();
    let (mut envelope, mut in_history) = (false, false);
    let mut records = Vec::new();
    let mut record = Record::default();
    let (mut fault, mut reason, mut detail) = (false, None::<String>, None::<(bool, String)>);
    loop {
        let event = reader.read_event().map_err(|e| format!("not well-formed XML: {e}"))?;
        match event {
            Event::Start(start) => {
                let name: String = start.local_name().as_ref().to_owned();
                match name.as_str() {
                    "Envelope" => envelope = true,
                    "historyRecord" if in_history => record = Record::default(),
                    "OperationHistoryData" => in_history = true,
                    "Fault" => fault = true,
                    _ => {}
                }
                path.push(name);
                if path.len() > MAX_DEPTH {
                    return Err("nested deeper than any answer".into());
                }
                text.clear();
            }
            Event::Empty(_) => text.clear(),
            Event::Text(t) => text.push_str(&t.xml10_content()),
            Event::CData(c) => text.push_str(&c.xml10_content()),
            Event::GeneralRef(r) => match r.resolve_char_ref() {
                Ok(Some(c)) => text.push(c),
                _ => text.push_str(resolve_predefined_entity(&r).unwrap_or_default()),
            },
            Event::End(_) => {
                let value = text.trim();
                let tail = |names: &[&str]| {
                    path.len() >= names.len() && path[path.len() - names.len()..].iter().zip(names).all(|(a, b)| a == b)
                };
                if in_history && !value.is_empty() {
                    let own = Some(value.to_string());
                    if tail(&["OperType", "Id"]) {
                        record.oper_type = value.parse().ok();
                    } else if tail(&["OperType", "Name"]) {
                        record.oper_type_name = own;
                    } else if tail(&["OperAttr", "Id"]) {
                        record.oper_attr = value.parse().ok();
                    } else if tail(&["OperAttr", "Name"]) {
                        record.oper_attr_name = own;
                    } else if tail(&["OperationParameters", "OperDate"]) {
                        record.date = own;
                    } else if tail(&["OperationAddress", "Index"]) {
                        record.place_index = own;
                    } else if tail(&["OperationAddress", "Description"]) {
                        record.place = own;
                    } else if tail(&["DestinationAddress", "Index"]) {
                        record.destination_index = own;
                    }
                }
                if fault && !value.is_empty() {
                    if tail(&["Reason", "Text"]) {
                        reason = Some(value.to_string());
                    } else if let Some(name) = path.last().filter(|n| n.ends_with("FaultReason")) {
                        detail = Some((name == "AuthorizationFaultReason", value.to_string()));
                    }
                }
                match path.pop().as_deref() {
                    Some("historyRecord") if in_history => {
                        if records.len() >= MAX_RECORDS {
                            return Err(format!("more than {MAX_RECORDS} operations"));
                        }
                        records.push(std::mem::take(&mut record));
                    }
                    Some("OperationHistoryData") => in_history = false,
                    _ => {}
                }
                text.clear();
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !envelope {
        return Err("not a SOAP envelope".into());
    }
    if fault {
        let (authorization, text) = match (detail, reason) {
            (Some((authorization, text)), _) => (authorization, text),
            (None, Some(text)) => (false, text),
            (None, None) => (false, "no reason given".into()),
        };
        return Ok(Reply::Fault { authorization, text });
    }
    Ok(Reply::History(records))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_request_escapes_what_it_is_given() {
        let body = request("RA123456785RU", "shop&co", "p<a>ss\"'");
        assert!(body.contains("<data:Barcode>RA123456785RU</data:Barcode>"));
        assert!(body.contains("<data:login>shop&amp;co</data:login>"));
        assert!(body.contains("<data:password>p&lt;a&gt;ss&quot;&apos;</data:password>"));
        // The built request reads back as one well-formed envelope.
        assert_eq!(parse(body.as_bytes()), Ok(Reply::History(Vec::new())));
    }

    #[test]
    fn a_history_is_read_whatever_the_prefixes_and_with_elements_missing() {
        let body = r#"<?xml version="1.0"?>
            <S:Envelope xmlns:S="http://www.w3.org/2003/05/soap-envelope"><S:Body>
            <ns7:getOperationHistoryResponse xmlns:ns7="http://russianpost.org/operationhistory"
                xmlns:ns3="http://russianpost.org/operationhistory/data">
            <ns3:OperationHistoryData>
              <ns3:historyRecord>
                <ns3:AddressParameters>
                  <ns3:DestinationAddress><ns3:Index>115162</ns3:Index><ns3:Description>Москва 162</ns3:Description></ns3:DestinationAddress>
                  <ns3:OperationAddress><ns3:Index>344038</ns3:Index><ns3:Description>Ростов-на-Дону 38</ns3:Description></ns3:OperationAddress>
                </ns3:AddressParameters>
                <ns3:OperationParameters>
                  <ns3:OperType><ns3:Id>1</ns3:Id><ns3:Name>Приём</ns3:Name></ns3:OperType>
                  <ns3:OperAttr><ns3:Id>1</ns3:Id><ns3:Name>Единичный</ns3:Name></ns3:OperAttr>
                  <ns3:OperDate>2026-11-18T10:15:00.000+03:00</ns3:OperDate>
                </ns3:OperationParameters>
              </ns3:historyRecord>
              <historyRecord xmlns="http://russianpost.org/operationhistory/data">
                <OperationParameters><OperType><Id>8</Id><Name>Обработка</Name></OperType>
                  <OperAttr><Id>2</Id><Name>Прибыло в место вручения</Name></OperAttr>
                  <OperDate>2026-11-21T09:00:00+03:00</OperDate></OperationParameters>
                <AddressParameters><OperationAddress><Index>115162</Index><Description>Москва &amp; область</Description></OperationAddress><CountryOper/></AddressParameters>
              </historyRecord>
            </ns3:OperationHistoryData></ns7:getOperationHistoryResponse></S:Body></S:Envelope>"#;
        let Ok(Reply::History(records)) = parse(body.as_bytes()) else { panic!("a history") };
        assert_eq!(records.len(), 2);
        assert_eq!(records[0].oper_type, Some(1));
        assert_eq!(records[0].place.as_deref(), Some("Ростов-на-Дону 38"));
        assert_eq!(records[0].destination_index.as_deref(), Some("115162"));
        assert_eq!(records[1].oper_attr, Some(2));
        assert_eq!(records[1].oper_attr_name.as_deref(), Some("Прибыло в место вручения"));
        assert_eq!(records[1].place.as_deref(), Some("Москва & область"));
        assert_eq!(records[1].date.as_deref(), Some("2026-11-21T09:00:00+03:00"));
    }

    #[test]
    fn faults_say_whether_the_login_was_refused() {
        let fault = |detail: &str| {
            format!(
                r#"<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"><env:Body><env:Fault>
                <env:Code><env:Value>env:Sender</env:Value></env:Code>
                <env:Reason><env:Text xml:lang="ru">Ошибка</env:Text></env:Reason>
                <env:Detail>{detail}</env:Detail></env:Fault></env:Body></env:Envelope>"#
            )
        };
        let auth =
            fault(r#"<ns3:AuthorizationFaultReason xmlns:ns3="x">Ошибка авторизации</ns3:AuthorizationFaultReason>"#);
        assert_eq!(parse(auth.as_bytes()), Ok(Reply::Fault { authorization: true, text: "Ошибка авторизации".into() }));
        let other = fault(r#"<OperationHistoryFaultReason>Внутренняя ошибка</OperationHistoryFaultReason>"#);
        assert_eq!(
            parse(other.as_bytes()),
            Ok(Reply::Fault { authorization: false, text: "Внутренняя ошибка".into() })
        );
        assert_eq!(parse(fault("").as_bytes()), Ok(Reply::Fault { authorization: false, text: "Ошибка".into() }));
    }

    #[test]
    fn bodies_that_are_not_answers_are_refused() {
        assert!(parse(b"<html><body>Service Unavailable</body></html>").is_err());
        assert!(parse(b"{\"error\": 1}").is_err());
        assert!(parse(b"<S:Envelope><S:Body></S:Envelope>").is_err());
        assert!(parse(&vec![b' '; MAX_ANSWER_BYTES + 1]).is_err());
        let deep = "<a>".repeat(MAX_DEPTH + 1);
        assert!(parse(deep.as_bytes()).is_err());
    }
}
