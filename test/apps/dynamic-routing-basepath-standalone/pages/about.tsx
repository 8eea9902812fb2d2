import Header from "../components/header";

export default function AboutPage() {
  return (
    <>
      <Header />
      <h1>About page</h1>
    </>
  );
}
