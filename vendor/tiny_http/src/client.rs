use ascii::AsciiString;

use std::io::Error as IoError;
use std::io::Result as IoResult;
use std::io::{BufReader, BufWriter, ErrorKind, Read, Write};
use std::sync::Arc;
use std::time::{Duration, Instant};

use std::net::SocketAddr;
use std::str::FromStr;

use crate::common::{HTTPVersion, Method};
use crate::util::refined_tcp_stream::ConnState;
use crate::util::RefinedTcpStream;
use crate::util::{SequentialReader, SequentialReaderBuilder, SequentialWriterBuilder};
use crate::{Header, Limits, Request};

/// A ClientConnection is an object that will store a socket to a client
/// and return Request objects.
pub struct ClientConnection {
    // address of the client
    remote_addr: IoResult<Option<SocketAddr>>,

    // sequence of Readers to the stream, so that the data is not read in
    //  the wrong order
    source: SequentialReaderBuilder<BufReader<RefinedTcpStream>>,

    // sequence of Writers to the stream, to avoid writing response #2 before
    //  response #1
    sink: SequentialWriterBuilder<BufWriter<RefinedTcpStream>>,

    // Reader to read the next header from
    next_header_source: SequentialReader<BufReader<RefinedTcpStream>>,

    // set to true if we know that the previous request is the last one
    no_more_requests: bool,

    // true if the connection goes through SSL
    secure: bool,

    // what reading a head may take (openleash patches 03, 04)
    limits: Arc<Limits>,

    // deadlines and closing (`None` over TLS)
    state: Option<Arc<ConnState>>,
}

/// Error that can happen when reading a request.
#[derive(Debug)]
enum ReadError {
    WrongRequestLine,
    WrongHeader(HTTPVersion),
    /// the client sent an unrecognized `Expect` header
    ExpectationFailed(HTTPVersion),
    ReadIoError(IoError),
    /// the request line is longer than `Limits::max_line` (414)
    UriTooLong,
    /// a header line longer than `Limits::max_line`, or more than `Limits::max_headers` (431)
    HeadersTooLarge(HTTPVersion),
    /// HTTP/2.0 or later (505)
    VersionNotSupported,
}

/// Why a line of the head could not be read.
enum LineError {
    Io(IoError),
    TooLong,
    /// a bare CR or LF, or a byte outside ASCII
    Malformed,
}

impl ClientConnection {
    /// Creates a new `ClientConnection` that takes ownership of the `TcpStream`.
    pub fn new(
        write_socket: RefinedTcpStream,
        mut read_socket: RefinedTcpStream,
        limits: Arc<Limits>,
    ) -> ClientConnection {
        let remote_addr = read_socket.peer_addr();
        let secure = read_socket.secure();
        let state = read_socket.state();

        let mut source = SequentialReaderBuilder::new(BufReader::with_capacity(1024, read_socket));
        let first_header = source.next().unwrap();

        ClientConnection {
            source,
            sink: SequentialWriterBuilder::new(BufWriter::with_capacity(1024, write_socket)),
            remote_addr,
            next_header_source: first_header,
            no_more_requests: false,
            secure,
            limits,
            state,
        }
    }

    /// true if the connection is HTTPS
    pub fn secure(&self) -> bool {
        self.secure
    }

    fn set_deadline(&self, after: Option<Duration>) {
        if let Some(state) = &self.state {
            state.set_deadline(after.map(|d| Instant::now() + d));
        }
    }

    /// Reads the next line from self.next_header_source.
    ///
    /// Reads until `CRLF` is reached. The next read will start
    ///  at the first byte of the new line. At most `max` bytes (without the CRLF) are kept; a
    ///  bare CR or LF or a non-ASCII byte is malformed. With `arm`, the head deadline starts at
    ///  the line's first byte.
    fn read_next_line(&mut self, max: usize, arm: bool) -> Result<AsciiString, LineError> {
        let mut buf = Vec::new();
        let mut prev_byte_was_cr = false;
        let mut armed = !arm;

        loop {
            let byte = self.next_header_source.by_ref().bytes().next();

            let byte = match byte {
                Some(b) => b.map_err(LineError::Io)?,
                None => {
                    return Err(LineError::Io(IoError::new(
                        ErrorKind::ConnectionAborted,
                        "Unexpected EOF",
                    )))
                }
            };
            if !armed {
                armed = true;
                self.set_deadline(Some(self.limits.header_timeout));
            }

            if byte == b'\n' {
                if !prev_byte_was_cr {
                    return Err(LineError::Malformed);
                }
                buf.pop(); // removing the '\r'
                return AsciiString::from_ascii(buf).map_err(|_| LineError::Malformed);
            }
            if prev_byte_was_cr || !byte.is_ascii() {
                return Err(LineError::Malformed);
            }

            prev_byte_was_cr = byte == b'\r';

            // The CR that may end the line is kept until the LF shows up.
            if buf.len() >= max + usize::from(prev_byte_was_cr) {
                return Err(LineError::TooLong);
            }
            buf.push(byte);
        }
    }

    /// Reads a request from the stream.
    /// Blocks until the header has been read.
    fn read(&mut self) -> Result<Request, ReadError> {
        let result = self.read_head();
        self.set_deadline(None);
        result
    }

    fn read_head(&mut self) -> Result<Request, ReadError> {
        let max_line = self.limits.max_line;
        let (method, path, version, headers) = {
            // reading the request line
            let (method, path, version) = {
                let line = match self.read_next_line(max_line, true) {
                    Ok(line) => line,
                    Err(LineError::Io(e)) => return Err(ReadError::ReadIoError(e)),
                    Err(LineError::TooLong) => return Err(ReadError::UriTooLong),
                    Err(LineError::Malformed) => return Err(ReadError::WrongRequestLine),
                };

                parse_request_line(line.as_str())?
            };
            // Refused before anything else is read: no request exists yet whose writer the
            // answer would have to wait for (patch 02).
            if version > (1, 1) {
                return Err(ReadError::VersionNotSupported);
            }

            // getting all headers
            let headers = {
                let mut headers: Vec<Header> = Vec::new();
                loop {
                    let line = match self.read_next_line(max_line, false) {
                        Ok(line) => line,
                        Err(LineError::Io(e)) => return Err(ReadError::ReadIoError(e)),
                        Err(LineError::TooLong) => return Err(ReadError::HeadersTooLarge(version)),
                        Err(LineError::Malformed) => return Err(ReadError::WrongHeader(version)),
                    };

                    if line.is_empty() {
                        break;
                    };
                    if headers.len() >= self.limits.max_headers {
                        return Err(ReadError::HeadersTooLarge(version));
                    }
                    headers.push(match FromStr::from_str(line.as_str().trim()) {
                        // TODO: remove this conversion
                        Ok(h) => h,
                        _ => return Err(ReadError::WrongHeader(version)),
                    });
                }

                headers
            };

            (method, path, version, headers)
        };

        // duplicate or unparsable Content-Length, or one beside Transfer-Encoding: a request
        // whose end is ambiguous is refused (request smuggling)
        let lengths: Vec<&Header> = headers
            .iter()
            .filter(|h| h.field.equiv("Content-Length"))
            .collect();
        let chunked = headers.iter().any(|h| h.field.equiv("Transfer-Encoding"));
        if lengths.len() > 1
            || (lengths.len() == 1 && chunked)
            || lengths.iter().any(|h| {
                let v = h.value.as_str();
                v.is_empty()
                    || !v.bytes().all(|b| b.is_ascii_digit())
                    || v.parse::<usize>().is_err()
            })
        {
            return Err(ReadError::WrongHeader(version));
        }

        // building the writer for the request
        let writer = self.sink.next().unwrap();

        // follow-up for next potential request
        let mut data_source = self.source.next().unwrap();
        std::mem::swap(&mut self.next_header_source, &mut data_source);

        // a small body is read here, before the request is queued: under the body deadline
        self.set_deadline(Some(self.limits.body_timeout));

        // building the next reader
        let request = crate::request::new_request(
            self.secure,
            method,
            path,
            version.clone(),
            headers,
            *self.remote_addr.as_ref().unwrap(),
            data_source,
            writer,
        )
        .map_err(|e| {
            use crate::request;
            match e {
                request::RequestCreationError::CreationIoError(e) => ReadError::ReadIoError(e),
                request::RequestCreationError::ExpectationFailed => {
                    ReadError::ExpectationFailed(version)
                }
            }
        })?;

        // return the request
        Ok(match &self.state {
            Some(state) => request.with_conn(state.clone()),
            None => request,
        })
    }

    /// Answers a head that cannot be served and ends the connection.
    fn refuse(&mut self, status: u16, version: HTTPVersion, body: &str) {
        use crate::{Header, Response, StatusCode};
        let mut writer = self.sink.next().unwrap();
        let mut response = Response::from_string(body).with_status_code(StatusCode(status));
        if let Ok(h) = Header::from_bytes(&b"Connection"[..], &b"close"[..]) {
            response.add_header(h);
        }
        let _ = response
            .raw_print(&mut writer, version, &[], false, None)
            .and_then(|()| writer.flush());
        drop(writer);
        if let Some(state) = &self.state {
            state.close();
        }
    }
}

impl Iterator for ClientConnection {
    type Item = Request;

    /// Blocks until the next Request is available.
    /// Returns None when no new Requests will come from the client.
    fn next(&mut self) -> Option<Request> {
        // the client sent a "connection: close" header in this previous request
        //  or is using HTTP 1.0, meaning that no new request will come
        if self.no_more_requests {
            return None;
        }

        // Every refusal closes the connection: after a bad head we do not know where the next
        // request would start.
        let rq = match self.read() {
            Ok(rq) => rq,
            Err(ReadError::WrongRequestLine) => {
                self.refuse(400, HTTPVersion(1, 1), "");
                return None;
            }
            Err(ReadError::WrongHeader(ver)) => {
                self.refuse(400, ver, "");
                return None;
            }
            Err(ReadError::UriTooLong) => {
                self.refuse(414, HTTPVersion(1, 1), "");
                return None;
            }
            Err(ReadError::HeadersTooLarge(ver)) => {
                self.refuse(431, ver, "");
                return None;
            }
            Err(ReadError::VersionNotSupported) => {
                self.refuse(
                    505,
                    HTTPVersion(1, 1),
                    "This server only supports HTTP versions 1.0 and 1.1",
                );
                return None;
            }
            Err(ReadError::ReadIoError(ref err)) if err.kind() == ErrorKind::TimedOut => {
                // request timeout
                self.refuse(408, HTTPVersion(1, 1), "");
                return None;
            }
            Err(ReadError::ExpectationFailed(ver)) => {
                self.refuse(417, ver, "");
                return None;
            }
            Err(ReadError::ReadIoError(_)) => return None,
        };

        // updating the status of the connection
        let connection_header = rq
            .headers()
            .iter()
            .find(|h| h.field.equiv("Connection"))
            .map(|h| h.value.as_str());

        let lowercase = connection_header.map(|h| h.to_ascii_lowercase());

        match lowercase {
            Some(ref val) if val.contains("close") => self.no_more_requests = true,
            Some(ref val) if val.contains("upgrade") => self.no_more_requests = true,
            Some(ref val)
                if !val.contains("keep-alive") && *rq.http_version() == HTTPVersion(1, 0) =>
            {
                self.no_more_requests = true
            }
            None if *rq.http_version() == HTTPVersion(1, 0) => self.no_more_requests = true,
            _ => (),
        };

        // returning the request
        Some(rq)
    }
}

/// Parses a "HTTP/1.1" string.
fn parse_http_version(version: &str) -> Result<HTTPVersion, ReadError> {
    let (major, minor) = match version {
        "HTTP/0.9" => (0, 9),
        "HTTP/1.0" => (1, 0),
        "HTTP/1.1" => (1, 1),
        "HTTP/2.0" => (2, 0),
        "HTTP/3.0" => (3, 0),
        _ => return Err(ReadError::WrongRequestLine),
    };

    Ok(HTTPVersion(major, minor))
}

/// Parses the request line of the request.
/// eg. GET / HTTP/1.1
fn parse_request_line(line: &str) -> Result<(Method, String, HTTPVersion), ReadError> {
    let mut parts = line.split(' ');

    // methods are case-sensitive tokens, and every method we know is upper case (patch 04)
    let method = parts
        .next()
        .filter(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_uppercase()))
        .and_then(|w| w.parse().ok());
    let path = parts.next().map(ToOwned::to_owned);
    let version = parts.next().and_then(|w| parse_http_version(w).ok());

    if parts.next().is_some() {
        return Err(ReadError::WrongRequestLine);
    }
    method
        .and_then(|method| Some((method, path?, version?)))
        .ok_or(ReadError::WrongRequestLine)
}

#[cfg(test)]
mod test {
    #[test]
    fn test_parse_request_line() {
        let (method, path, ver) = super::parse_request_line("GET /hello HTTP/1.1").unwrap();

        assert!(method == crate::Method::Get);
        assert!(path == "/hello");
        assert!(ver == crate::common::HTTPVersion(1, 1));

        assert!(super::parse_request_line("GET /hello").is_err());
        assert!(super::parse_request_line("qsd qsd qsd").is_err());
        assert!(super::parse_request_line("get /hello HTTP/1.1").is_err());
        assert!(super::parse_request_line("GET /a b HTTP/1.1").is_err());
    }
}
