//! Code fetched when first needed. The release build (`scripts/build.sh`, which sets
//! `--cfg split_wasm`) cuts the wasm at the functions declared with `on_demand!`: each
//! group becomes a file of its own, fetched the first time one of its functions is called.
//! Every other build (`trunk serve`, the tests) has no cut and runs them at once.

/// The code could not be fetched (offline, or a new release replaced the files). A failure
/// is not remembered: the next call fetches again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CodeUnavailable;

#[cfg(split_wasm)]
impl From<leptos::wasm_split::SplitLoaderError> for CodeUnavailable {
    fn from(_: leptos::wasm_split::SplitLoaderError) -> Self {
        CodeUnavailable
    }
}

/// `on_demand! { file: fn name(args) -> T { body } ... }` declares each function as
/// `async fn name(args) -> Result<T, CodeUnavailable>`, in the file `file` of a split build.
/// The functions cannot be `async` themselves: one that must wait returns its future boxed,
/// which keeps the future's code in the file too.
macro_rules! on_demand {
    ($file:ident: $(fn $name:ident($($arg:ident: $ty:ty),*) -> $ret:ty $body:block)*) => {$(
        #[cfg(split_wasm)]
        #[leptos::wasm_split::wasm_split($file, wasm_split_path = ::leptos::wasm_split, fallible)]
        fn $name($($arg: $ty),*) -> Result<$ret, $crate::on_demand::CodeUnavailable> {
            Ok($body)
        }

        #[cfg(not(split_wasm))]
        #[allow(clippy::unused_async)]
        async fn $name($($arg: $ty),*) -> Result<$ret, $crate::on_demand::CodeUnavailable> {
            Ok($body)
        }
    )*};
}

pub(crate) use on_demand;
