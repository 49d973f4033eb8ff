//! Reactive helpers that keep the bundle small. Leptos compiles its effect machinery (an async task that
//! waits for changes, runs, tracks) once per closure type; every effect of the widget goes through the one
//! boxed closure here instead, so that machinery is in the module once.

use leptos::prelude::Effect;

/// Runs `run` after the current render and again whenever a signal it read changes, for as long as the
/// owner that called this lives.
pub fn effect(run: impl FnMut() + 'static) {
    let mut run: Box<dyn FnMut()> = Box::new(run);
    Effect::new(move |_| run());
}
