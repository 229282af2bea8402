//! Every edit is read back: an edit that would not read as the value set is tried once more
//! with every text on one quoted line, and refused if that does not read back either, with
//! the text as it was. The editor's styles are chosen for people; this makes them safe.

use super::edit::{EditError, Editor};
use super::value::Value;

impl Editor {
    /// Makes an edit and reads the result back (see [`Editor::set`]).
    pub(super) fn checked(
        &mut self,
        pointer: &str,
        value: &Value,
        append: bool,
        edit: &mut dyn FnMut(&mut Editor, &Value) -> Result<(), EditError>,
    ) -> Result<(), EditError> {
        let before = (self.text.clone(), self.yaml_end);
        let Some(mut want) = self.data() else {
            // Front matter esc cannot read is edited as it always was.
            return edit(self, value);
        };
        crate::model::value::apply(&mut want, pointer, value, append);
        for v in [value.clone(), crate::model::value::one_line(value)] {
            let done = edit(self, &v);
            if done.is_ok() && self.data().as_ref() == Some(&want) {
                return Ok(());
            }
            (self.text, self.yaml_end) = before.clone();
            done?;
        }
        Err(EditError(format!(
            "esc cannot write this value at `{}` so that it reads back as given (the YAML around it is unusual); edit it by hand",
            crate::model::diag::dotted(pointer)
        )))
    }

    /// The front matter as data, when it parses.
    fn data(&self) -> Option<serde_json::Value> {
        let split = crate::model::document::split(&self.text).ok()?;
        crate::model::document::parse_yaml(&split).ok()
    }
}
