export const client = new ApiClient({
  baseUrl: 'https://orders.internal',
  bearer: 'eyJhbGciOiAiSFMyNTYiLCAidHlwIjogIkpXVCJ9.eyJzdWIiOiAic3ZjLW9yZGVycyIsICJpYXQiOiAxNzY3MjI1NjAwLCAic2NvcGUiOiAib3JkZXJzOndyaXRlIn0.G1yg2cesopG4PjQInCxIg4HiIooh15VDF4gOOo9WRnU',
});
