//! Command-line parsing for the `ossffi-emulator` binary.

use std::net::SocketAddr;
use std::time::Duration;

use crate::config::{Config, Credential, TlsFiles};

pub const HELP: &str = "\
ossffi-emulator: a local Alibaba Cloud OSS that verifies signatures and performs upload callbacks

USAGE:
    ossffi-emulator --access-key-id AK --access-key-secret SK [OPTIONS]

The first line printed on stdout is the bound address (e.g. 127.0.0.1:41234).
SIGINT or SIGTERM shuts the server down cleanly (exit status 0).

SERVER:
    --listen ADDR               Address to listen on [default: 127.0.0.1:9000]; port 0 picks a free port
    --access-key-id AK          Access key id that requests must be signed with (required)
    --access-key-secret SK      Its secret (required)
    --sts-token TOKEN           Require this STS security token with the access key
    --region REGION             Region in V4 credential scopes [default: cn-hangzhou]
    --bucket NAME               Create this bucket at start (repeatable)
    --domain DOMAIN             Base domain: Host <bucket>.<DOMAIN> is virtual-host style, Host DOMAIN
                                path style (repeatable) [default: localhost]
    --cname HOST=BUCKET         A custom domain bound to a bucket (repeatable; creates the bucket)
    --data-dir DIR              Keep objects as files in DIR (reloaded at start) instead of memory
    --now RFC3339               Pin the server clock, e.g. 2024-03-15T08:09:10Z (replays recorded requests)
    --sink                      Read bodies, compute CRC-64 and MD5, verify signatures, store nothing
    --sink-skip-md5             With --sink only: skip MD5 unless the request has Content-MD5; the ETag
                                is then \"%016X%016X\" of (CRC-64, size), not the MD5, and the reply
                                says so in x-ossffi-emulator-etag: not-md5 (for benchmarks)
    --tls-cert FILE             Serve HTTPS with this PEM certificate chain (needs --tls-key)
    --tls-key FILE              PEM private key for --tls-cert
    --body-timeout-ms MS        A client stalling mid-body this long gets 400 RequestTimeout [default: 30000]
    --header-timeout-ms MS      A request head (or the next one on an idle keep-alive connection) must
                                arrive within MS, else the connection closes [default: 20000]
    --max-connections N         Connections open at once; more are answered 503 and closed [default: 512]
    --max-skew-seconds S        Largest accepted request clock skew [default: 900]
    --journal FILE              Append a line \"METHOD PATH?QUERY STATUS\" to FILE for every request that
                                carries a signature, once it is answered (PATH and QUERY as sent, no
                                \"?\" without a query; written line by line): for counting requests

CALLBACKS:
    --allow-callback-host HOST  Allow callbacks to HOST besides loopback (repeatable)
    --callback-key FILE         PEM RSA private key that signs callbacks [default: embedded test key]

FAULTS (count requests that carry a signature):
    --fail-next N               Fail the next N requests with --fail-status before reading their body
    --fail-status S             500 (InternalError) or 503 (ServiceUnavailable) [default: 503]
    --fail-part N[:TIMES]       Fail UploadPart requests (PUT ?partNumber=N&uploadId=..) for part N with
                                --fail-status before reading their body, TIMES times [default: every
                                time] (repeatable, one per part number)
    --drop-next N               Close the connection of the next N requests after about half the body
    --delay-ms MS               Delay every response by MS milliseconds
    --wrong-crc-next N          Send a wrong x-oss-hash-crc64ecma in the next N responses carrying one
    --wrong-crc-always          Always send a wrong x-oss-hash-crc64ecma
    --callback-fail-next N      The next N callbacks fail (203 CallbackFailed) without contacting the receiver
    --callback-stall-next N     The next N callbacks wait --callback-stall-ms first
    --callback-stall-ms MS      How long a stalled callback waits [default: 6000, longer than the 5 s timeout]

    -h, --help                  Print this help
    -V, --version               Print the version
";

/// What the command line asks for.
#[derive(Debug)]
pub enum Command {
    Run(Box<Config>),
    Help,
    Version,
}

fn number<T: std::str::FromStr>(flag: &str, value: &str) -> Result<T, String> {
    value
        .parse()
        .map_err(|_| format!("{flag} {value:?} is not a valid number"))
}

/// Parses the arguments after the program name.
pub fn parse(args: impl IntoIterator<Item = String>) -> Result<Command, String> {
    let mut config = Config::new("", "");
    config.credentials.clear();
    config.listen = SocketAddr::from(([127, 0, 0, 1], 9000));
    let (mut ak, mut sk, mut sts) = (None, None, None);
    let (mut cert, mut key) = (None, None);
    let mut stall_ms: u64 = 6000;
    let mut args = args.into_iter();
    while let Some(flag) = args.next() {
        let mut value = || {
            args.next()
                .ok_or_else(|| format!("{flag} needs a value; see --help"))
        };
        match flag.as_str() {
            "-h" | "--help" => return Ok(Command::Help),
            "-V" | "--version" => return Ok(Command::Version),
            "--listen" => {
                let v = value()?;
                config.listen = v
                    .parse()
                    .map_err(|_| format!("--listen {v:?} is not an address like 127.0.0.1:9000"))?;
            }
            "--access-key-id" => ak = Some(value()?),
            "--access-key-secret" => sk = Some(value()?),
            "--sts-token" => sts = Some(value()?),
            "--region" => config.region = value()?,
            "--bucket" => config.buckets.push(value()?),
            "--domain" => config.domains.push(value()?.to_ascii_lowercase()),
            "--cname" => {
                let v = value()?;
                let (host, bucket) = v
                    .split_once('=')
                    .ok_or_else(|| format!("--cname {v:?} must be HOST=BUCKET"))?;
                config
                    .cnames
                    .push((host.to_ascii_lowercase(), bucket.to_string()));
            }
            "--data-dir" => config.data_dir = Some(value()?.into()),
            "--now" => {
                let v = value()?;
                config.now = Some(ossffi::time::parse_rfc3339(&v).ok_or_else(|| {
                    format!("--now {v:?} is not an RFC 3339 time like 2024-03-15T08:09:10Z")
                })?);
            }
            "--sink" => config.sink = true,
            "--sink-skip-md5" => config.sink_skip_md5 = true,
            "--tls-cert" => cert = Some(value()?),
            "--tls-key" => key = Some(value()?),
            "--body-timeout-ms" => {
                config.body_timeout = Duration::from_millis(number(&flag, &value()?)?)
            }
            "--header-timeout-ms" => {
                config.header_timeout = Duration::from_millis(number(&flag, &value()?)?)
            }
            "--max-connections" => {
                let n: usize = number(&flag, &value()?)?;
                if n == 0 {
                    return Err("--max-connections must be at least 1".into());
                }
                config.max_connections = n;
            }
            "--max-skew-seconds" => {
                config.max_clock_skew = Duration::from_secs(number(&flag, &value()?)?)
            }
            "--allow-callback-host" => config.allowed_callback_hosts.push(value()?),
            "--callback-key" => {
                let v = value()?;
                let pem =
                    std::fs::read_to_string(&v).map_err(|e| format!("--callback-key {v}: {e}"))?;
                config.callback_private_key_pem = Some(pem);
            }
            "--journal" => config.journal_file = Some(value()?.into()),
            "--fail-next" => config.faults.fail_next = number(&flag, &value()?)?,
            "--fail-part" => {
                let v = value()?;
                let (n, times) = match v.split_once(':') {
                    Some((n, times)) => (n, number(&flag, times)?),
                    None => (v.as_str(), u32::MAX),
                };
                let n: u32 = number(&flag, n)?;
                if n == 0 || n > 10_000 {
                    return Err(format!(
                        "--fail-part {v:?}: the part number must be 1 to 10000 (N or N:TIMES)"
                    ));
                }
                config.faults.fail_parts.push((n, times));
            }
            "--fail-status" => {
                let s: u16 = number(&flag, &value()?)?;
                if s != 500 && s != 503 {
                    return Err(format!("--fail-status {s} must be 500 or 503"));
                }
                config.faults.fail_status = s;
            }
            "--drop-next" => config.faults.drop_next = number(&flag, &value()?)?,
            "--delay-ms" => config.faults.delay = Duration::from_millis(number(&flag, &value()?)?),
            "--wrong-crc-next" => config.faults.wrong_crc_next = number(&flag, &value()?)?,
            "--wrong-crc-always" => config.faults.wrong_crc_always = true,
            "--callback-fail-next" => config.faults.callback_fail_next = number(&flag, &value()?)?,
            "--callback-stall-next" => {
                config.faults.callback_stall_next = number(&flag, &value()?)?
            }
            "--callback-stall-ms" => stall_ms = number(&flag, &value()?)?,
            other => return Err(format!("unknown argument {other:?}; see --help")),
        }
    }
    config.faults.callback_stall = Duration::from_millis(stall_ms);
    if config.sink_skip_md5 && !config.sink {
        return Err(
            "--sink-skip-md5 is only valid together with --sink (a stored object keeps a real MD5 ETag)"
                .into(),
        );
    }
    let (Some(ak), Some(sk)) = (ak, sk) else {
        return Err("--access-key-id and --access-key-secret are required; see --help".into());
    };
    config.credentials.push(Credential {
        access_key_id: ak,
        access_key_secret: sk,
        security_token: sts,
    });
    match (cert, key) {
        (Some(c), Some(k)) => {
            config.tls = Some(TlsFiles {
                cert_pem: c.into(),
                key_pem: k.into(),
            })
        }
        (None, None) => {}
        _ => return Err("--tls-cert and --tls-key must be given together".into()),
    }
    Ok(Command::Run(Box::new(config)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn full_command_line_parses() {
        let cmd = parse(args(
            "--listen 127.0.0.1:0 --access-key-id AK --access-key-secret SK --sts-token T --bucket b1 \
             --domain example.com --cname cdn.x.com=b2 --now 2024-03-15T08:09:10Z --sink --fail-next 2 --fail-status 500",
        ))
        .unwrap();
        let Command::Run(c) = cmd else {
            panic!("expected Run")
        };
        assert_eq!(c.listen.port(), 0);
        assert_eq!(c.credentials[0].security_token.as_deref(), Some("T"));
        assert_eq!(c.cnames, vec![("cdn.x.com".to_string(), "b2".to_string())]);
        assert_eq!(c.now, Some(1_710_490_150));
        assert!(c.sink);
        assert_eq!((c.faults.fail_next, c.faults.fail_status), (2, 500));
    }

    #[test]
    fn connection_limits_parse() {
        let Command::Run(c) = parse(args(
            "--access-key-id AK --access-key-secret SK --header-timeout-ms 750 --max-connections 8",
        ))
        .unwrap() else {
            panic!("expected Run")
        };
        assert_eq!(c.header_timeout, Duration::from_millis(750));
        assert_eq!(c.max_connections, 8);
        let e = parse(args(
            "--access-key-id AK --access-key-secret SK --max-connections 0",
        ))
        .unwrap_err();
        assert!(e.contains("--max-connections"), "{e}");
    }

    #[test]
    fn sink_skip_md5_needs_sink() {
        let Command::Run(c) = parse(args(
            "--access-key-id AK --access-key-secret SK --sink --sink-skip-md5",
        ))
        .unwrap() else {
            panic!("expected Run")
        };
        assert!(c.sink && c.sink_skip_md5);
        let e = parse(args(
            "--access-key-id AK --access-key-secret SK --sink-skip-md5",
        ))
        .unwrap_err();
        assert!(e.contains("--sink-skip-md5") && e.contains("--sink"), "{e}");
    }

    #[test]
    fn journal_and_part_faults_parse() {
        let Command::Run(c) = parse(args(
            "--access-key-id AK --access-key-secret SK --journal /tmp/j.log \
             --fail-part 3 --fail-part 5:2 --fail-status 500",
        ))
        .unwrap() else {
            panic!("expected Run")
        };
        assert_eq!(c.journal_file, Some("/tmp/j.log".into()));
        assert_eq!(c.faults.fail_parts, vec![(3, u32::MAX), (5, 2)]);
        assert_eq!(c.faults.fail_status, 500);
        for bad in ["0", "x", "3:", "3:x", "10001"] {
            let e = parse(args(&format!(
                "--access-key-id AK --access-key-secret SK --fail-part {bad}"
            )))
            .unwrap_err();
            assert!(e.contains("--fail-part"), "{bad}: {e}");
        }
    }

    #[test]
    fn missing_credentials_are_reported() {
        let e = parse(args("--listen 127.0.0.1:0")).unwrap_err();
        assert!(e.contains("--access-key-id"), "{e}");
    }

    #[test]
    fn unknown_flag_is_reported() {
        assert!(
            parse(args("--frobnicate"))
                .unwrap_err()
                .contains("--frobnicate")
        );
    }
}
