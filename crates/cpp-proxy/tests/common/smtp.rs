//! A small SMTP server for the e-mail tests: STARTTLS with a certificate made at start,
//! AUTH PLAIN or LOGIN only after it (before, it answers 530 and notes that a client tried),
//! and every message kept whole.

use std::sync::{Arc, Mutex};

use base64::Engine;
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader};

/// What the server saw.
#[derive(Clone, Debug, Default)]
pub struct Mailbag {
    /// Each message's data, as sent.
    pub messages: Vec<String>,
    /// The credentials given, after STARTTLS.
    pub logins: Vec<(String, String)>,
    /// A client sent AUTH before STARTTLS.
    pub auth_in_clear: bool,
}

/// The server: its port, the certificate to trust (PEM), and what it saw.
pub struct Smtp {
    /// Its port on 127.0.0.1.
    pub port: u16,
    /// The certificate, for the channel's `ca_file`.
    pub ca_pem: String,
    /// What it saw.
    pub seen: Arc<Mutex<Mailbag>>,
}

fn b64(text: &str) -> String {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(text.trim())
        .unwrap_or_default();
    String::from_utf8_lossy(&bytes).into_owned()
}

enum Next {
    StartTls,
    Done,
}

async fn session<S: AsyncRead + AsyncWrite + Unpin>(
    stream: &mut BufReader<S>,
    tls: bool,
    seen: &Mutex<Mailbag>,
) -> Next {
    let mut line = String::new();
    loop {
        line.clear();
        if stream.read_line(&mut line).await.unwrap_or(0) == 0 {
            return Next::Done;
        }
        let upper = line.trim_end().to_ascii_uppercase();
        let answer: String = if upper.starts_with("EHLO") || upper.starts_with("HELO") {
            if tls {
                "250-localhost\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME\r\n".into()
            } else {
                "250-localhost\r\n250-STARTTLS\r\n250 8BITMIME\r\n".into()
            }
        } else if upper == "STARTTLS" && !tls {
            let _ = stream.write_all(b"220 2.0.0 Ready to start TLS\r\n").await;
            let _ = stream.flush().await;
            return Next::StartTls;
        } else if upper.starts_with("AUTH") && !tls {
            seen.lock().expect("seen").auth_in_clear = true;
            "530 5.7.0 Must issue a STARTTLS command first\r\n".into()
        } else if let Some(initial) = upper.strip_prefix("AUTH PLAIN") {
            let response = if initial.trim().is_empty() {
                let _ = stream.write_all(b"334 \r\n").await;
                let mut l = String::new();
                let _ = stream.read_line(&mut l).await;
                l
            } else {
                line.trim_end()["AUTH PLAIN".len()..].to_owned()
            };
            let parts: Vec<String> = b64(&response).split('\0').map(str::to_owned).collect();
            if parts.len() == 3 {
                seen.lock()
                    .expect("seen")
                    .logins
                    .push((parts[1].clone(), parts[2].clone()));
            }
            "235 2.7.0 Authentication successful\r\n".into()
        } else if upper.starts_with("AUTH LOGIN") {
            let mut user = String::new();
            let mut pass = String::new();
            let _ = stream.write_all(b"334 VXNlcm5hbWU6\r\n").await;
            let _ = stream.read_line(&mut user).await;
            let _ = stream.write_all(b"334 UGFzc3dvcmQ6\r\n").await;
            let _ = stream.read_line(&mut pass).await;
            seen.lock()
                .expect("seen")
                .logins
                .push((b64(&user), b64(&pass)));
            "235 2.7.0 Authentication successful\r\n".into()
        } else if upper == "DATA" {
            let _ = stream
                .write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                .await;
            let mut data = Vec::new();
            loop {
                let mut l = Vec::new();
                if stream.read_until(b'\n', &mut l).await.unwrap_or(0) == 0 {
                    return Next::Done;
                }
                if l == b".\r\n" {
                    break;
                }
                data.extend_from_slice(&l);
            }
            seen.lock()
                .expect("seen")
                .messages
                .push(String::from_utf8_lossy(&data).into_owned());
            "250 2.0.0 Ok: queued\r\n".into()
        } else if upper == "QUIT" {
            let _ = stream.write_all(b"221 2.0.0 Bye\r\n").await;
            return Next::Done;
        } else {
            // MAIL FROM, RCPT TO, RSET, NOOP.
            "250 2.0.0 Ok\r\n".into()
        };
        if stream.write_all(answer.as_bytes()).await.is_err() {
            return Next::Done;
        }
        let _ = stream.flush().await;
    }
}

/// Starts the server on a fresh loopback port.
pub async fn start() -> Smtp {
    let cert =
        rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_owned()]).expect("certificate");
    let ca_pem = cert.cert.pem();
    let der = cert.cert.der().clone();
    let key =
        rustls::pki_types::PrivateKeyDer::try_from(cert.key_pair.serialize_der()).expect("key");
    let config = rustls::ServerConfig::builder_with_provider(std::sync::Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .expect("versions")
    .with_no_client_auth()
    .with_single_cert(vec![der], key)
    .expect("server config");
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let seen = Arc::new(Mutex::new(Mailbag::default()));
    let shared = seen.clone();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let (acceptor, seen) = (acceptor.clone(), shared.clone());
            tokio::spawn(async move {
                let mut plain = BufReader::new(socket);
                let _ = plain.write_all(b"220 localhost ESMTP test\r\n").await;
                if let Next::StartTls = session(&mut plain, false, &seen).await {
                    let Ok(tls) = acceptor.accept(plain.into_inner()).await else {
                        return;
                    };
                    let mut tls = BufReader::new(tls);
                    session(&mut tls, true, &seen).await;
                }
            });
        }
    });
    Smtp { port, ca_pem, seen }
}
