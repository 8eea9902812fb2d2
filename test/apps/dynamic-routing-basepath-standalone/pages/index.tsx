import Header from '../components/header'

export default function IndexPage() {
  return (
    <>
      <Header />
      <h1>Hello World!</h1>
    </>
  )
}
