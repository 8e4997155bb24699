//! The few protobuf messages of Anki's newer packages prep reads (the media
//! map, a deck's kind, a note type's and a template's config), decoded by
//! hand: a reader of protobuf's wire format that yields each field's number
//! and value. A generated decoder (`prost`) would bring a build script and
//! Anki's `.proto` files for five fields; this is the wire format alone,
//! and a damaged message is an error, never a panic.

/// A field's value, as the wire format carries it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Value<'a> {
    Varint(u64),
    Bytes(&'a [u8]),
    Fixed64(u64),
    Fixed32(u32),
}

impl<'a> Value<'a> {
    pub fn varint(self) -> Option<u64> {
        match self {
            Value::Varint(value) => Some(value),
            _ => None,
        }
    }

    pub fn bytes(self) -> Option<&'a [u8]> {
        match self {
            Value::Bytes(bytes) => Some(bytes),
            _ => None,
        }
    }

    /// A string field; protobuf strings are UTF-8.
    pub fn string(self) -> Option<&'a str> {
        std::str::from_utf8(self.bytes()?).ok()
    }
}

/// The message is not well-formed protobuf.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a damaged protobuf message")]
pub struct Damaged;

/// The fields of a message, in the order written.
pub fn fields(message: &[u8]) -> Fields<'_> {
    Fields { rest: message }
}

pub struct Fields<'a> {
    rest: &'a [u8],
}

impl<'a> Iterator for Fields<'a> {
    type Item = Result<(u64, Value<'a>), Damaged>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.rest.is_empty() {
            return None;
        }
        let field = self.field();
        if field.is_err() {
            // Nothing after a damaged field can be trusted.
            self.rest = &[];
        }
        Some(field)
    }
}

impl<'a> Fields<'a> {
    fn field(&mut self) -> Result<(u64, Value<'a>), Damaged> {
        let key = varint(&mut self.rest)?;
        let number = key >> 3;
        if number == 0 {
            return Err(Damaged);
        }
        let value = match key & 7 {
            0 => Value::Varint(varint(&mut self.rest)?),
            1 => Value::Fixed64(u64::from_le_bytes(
                self.take(8)?.try_into().map_err(|_| Damaged)?,
            )),
            2 => {
                let length = usize::try_from(varint(&mut self.rest)?).map_err(|_| Damaged)?;
                Value::Bytes(self.take(length)?)
            }
            5 => Value::Fixed32(u32::from_le_bytes(
                self.take(4)?.try_into().map_err(|_| Damaged)?,
            )),
            // Groups (3, 4) are long deprecated; Anki writes none.
            _ => return Err(Damaged),
        };
        Ok((number, value))
    }

    fn take(&mut self, length: usize) -> Result<&'a [u8], Damaged> {
        if length > self.rest.len() {
            return Err(Damaged);
        }
        let (taken, rest) = self.rest.split_at(length);
        self.rest = rest;
        Ok(taken)
    }
}

/// A base-128 varint, at most ten bytes.
fn varint(bytes: &mut &[u8]) -> Result<u64, Damaged> {
    let mut value = 0u64;
    for index in 0..10 {
        let (&byte, rest) = bytes.split_first().ok_or(Damaged)?;
        *bytes = rest;
        value |= u64::from(byte & 0x7f) << (7 * index);
        if byte & 0x80 == 0 {
            return Ok(value);
        }
    }
    Err(Damaged)
}

/// The last value of field `number` (protobuf's rule for a repeated
/// singular field), or None when the message lacks it.
pub fn last(message: &[u8], number: u64) -> Result<Option<Value<'_>>, Damaged> {
    let mut found = None;
    for field in fields(message) {
        let (at, value) = field?;
        if at == number {
            found = Some(value);
        }
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_read_in_order_with_their_numbers() {
        // Anki's media map with one entry: name "router.png", size 8, a
        // sha1 of two bytes here; and field 255 (a two-byte key).
        let entry = b"\x0a\x0arouter.png\x10\x08\x1a\x02\xab\xcd\xf8\x0f\x07";
        let read: Vec<_> = fields(entry).collect::<Result<_, _>>().unwrap();
        assert_eq!(
            read,
            [
                (1, Value::Bytes(b"router.png")),
                (2, Value::Varint(8)),
                (3, Value::Bytes(b"\xab\xcd")),
                (255, Value::Varint(7)),
            ]
        );
        assert_eq!(
            last(entry, 1).unwrap().unwrap().string(),
            Some("router.png")
        );
        assert_eq!(last(entry, 9).unwrap(), None);
        assert_eq!(
            fields(b"\x0d\x01\x02\x03\x04\x11\x01\x00\x00\x00\x00\x00\x00\x00")
                .collect::<Result<Vec<_>, _>>()
                .unwrap(),
            [(1, Value::Fixed32(0x0403_0201)), (2, Value::Fixed64(1))]
        );
    }

    #[test]
    fn damaged_messages_are_errors() {
        for damaged in [
            &b"\x0a\x05abc"[..],                                 // shorter than its length
            b"\x08",                                             // a varint cut short
            b"\x08\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01", // eleven bytes
            b"\x00\x01",                                         // field number 0
            b"\x0b",                                             // a group
            b"\x0a\xff\xff\xff\xff\xff\xff\xff\xff\x7f",         // a length past the end
        ] {
            assert!(fields(damaged).any(|field| field.is_err()), "{damaged:?}");
        }
        assert_eq!(fields(b"").count(), 0);
    }
}
