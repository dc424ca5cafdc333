//! The simulator's Product Ingestion profile (`/graph`): the same world as the CPP routes,
//! in Microsoft's Graph documents, with the same faults (a job id `fault-<kind>`, or the
//! run-time plan).

use axum::http::StatusCode;
use axum::response::Response;
use publishing_model::sim::JobCancel;

use super::fault::{Fault, XSS_PAYLOADS};
use super::{fault_response, json, not_found, Simulator};
use publishing_model::OfferId;

use crate::error::error_body;
use crate::routes::{GraphRequest, GraphRoute};

impl Simulator {
    /// Answers a checked Product Ingestion request.
    pub async fn answer_graph(&self, request: &GraphRequest) -> Response {
        if !self.latency.is_zero() {
            tokio::time::sleep(self.latency).await;
        }
        let by_id = match &request.route {
            GraphRoute::JobStatus { job } | GraphRoute::CancelJob { job } => {
                job.as_str().strip_prefix("fault-").and_then(Fault::parse)
            }
            _ => None,
        };
        let fault = self.planned_fault(by_id);
        if let Some(response) = fault_response(fault).await {
            return response;
        }
        let mut response = self.normal_graph(request, fault == Some(Fault::Xss));
        if matches!(fault, Some(Fault::Truncated | Fault::Malformed)) {
            response = self.damage(response, fault == Some(Fault::Truncated)).await;
        }
        response
    }

    fn normal_graph(&self, request: &GraphRequest, xss: bool) -> Response {
        let ok = |value: serde_json::Value| json(StatusCode::OK, value.to_string());
        match &request.route {
            GraphRoute::Products {
                external_id,
                skip_token,
            } => {
                let Some(skip) = skip_token
                    .as_ref()
                    .map_or(Some(0), |t| t.as_str().parse().ok())
                else {
                    return json(
                        StatusCode::BAD_REQUEST,
                        error_body("BadRequest", "The $skipToken is not valid."),
                    );
                };
                let mut page = self
                    .with_world(|w| w.products(skip, external_id.as_ref().map(OfferId::as_str)));
                if xss {
                    if let Some(products) = page["value"].as_array_mut() {
                        for product in products.iter_mut().take(3) {
                            product["alias"] = XSS_PAYLOADS[0].into();
                        }
                    }
                }
                ok(page)
            }
            GraphRoute::Submissions { product } => {
                match self.with_world(|w| w.submissions(product.as_str())) {
                    Some(list) => ok(list),
                    None => not_found("product"),
                }
            }
            GraphRoute::JobStatus { job } => {
                match self.with_world(|w| w.configure_job(job.as_str())) {
                    Some(mut status) => {
                        if xss {
                            status["errors"] = serde_json::json!([{
                                "code": "businessValidationError",
                                "message": XSS_PAYLOADS[0],
                                "details": [{ "code": "x", "message": XSS_PAYLOADS[1] }],
                            }]);
                        }
                        ok(status)
                    }
                    None => not_found("configure job"),
                }
            }
            GraphRoute::CancelJob { job } => {
                match self.with_world(|w| w.cancel_job(job.as_str())) {
                    None => not_found("configure job"),
                    Some(JobCancel::Canceled(status)) => ok(status),
                    Some(JobCancel::AlreadyCompleted) => json(
                        StatusCode::BAD_REQUEST,
                        error_body(
                            "BadRequest",
                            "The job is already completed and cannot be cancelled.",
                        ),
                    ),
                }
            }
        }
    }
}
