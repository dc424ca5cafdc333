//! Percent-decoding, shared by the app's addresses and the API's next-page links.

use publishing_model::percent::decode;

#[test]
fn escapes_decode_and_malformed_ones_stay_as_written() {
    assert_eq!(decode("contoso%2Dvm%20one"), "contoso-vm one");
    // Malformed escapes stay as written, a sign is not a hex digit, bad UTF-8 is replaced.
    assert_eq!(decode("100%"), "100%");
    assert_eq!(decode("%zz%4"), "%zz%4");
    assert_eq!(decode("%+1"), "%+1");
    assert_eq!(decode("%C3%A9%FF"), "é\u{FFFD}");
}
