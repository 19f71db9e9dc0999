/**
 * The bundled WSDL of the InvoiCy certificate extension, modelled on the real WSDL of the sibling
 * service (arecepcao): GeneXus document/literal SOAP 1.1, namespace `InvoiCy`, operation `Execute`,
 * element `extensaocertificadosoap.Execute`, soapAction `InvoiCyaction/AEXTENSAOCERTIFICADOSOAP.Execute`.
 * Used when the service's own `?WSDL` cannot be read, and served by the stand-in server.
 */
export const BUNDLED_WSDL = `<definitions name="extensaocertificadosoap" targetNamespace="InvoiCy" xmlns:wsdlns="InvoiCy" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns="http://schemas.xmlsoap.org/wsdl/" xmlns:tns="InvoiCy">
  <types>
    <schema targetNamespace="InvoiCy" elementFormDefault="qualified" xmlns="http://www.w3.org/2001/XMLSchema" xmlns:SOAP-ENC="http://schemas.xmlsoap.org/soap/encoding/">
      <complexType name="InvoiCy">
        <sequence>
          <element name="Cabecalho" type="tns:InvoiCyRecepcao.Cabecalho"></element>
          <element name="Informacoes" type="tns:InvoiCyRecepcao.Informacoes"></element>
          <element name="Dados">
            <complexType>
              <sequence>
                <element minOccurs="0" maxOccurs="unbounded" name="DadosItem" type="tns:InvoiCyRecepcao.DadosItem"></element>
              </sequence>
            </complexType>
          </element>
        </sequence>
      </complexType>
      <complexType name="InvoiCyRecepcao.Cabecalho">
        <sequence>
          <element name="EmpPK" type="xsd:string"></element>
          <element name="EmpCK" type="xsd:string"></element>
          <element name="EmpCO" type="xsd:string"></element>
        </sequence>
      </complexType>
      <complexType name="InvoiCyRecepcao.Informacoes">
        <sequence>
          <element name="Texto" type="xsd:string"></element>
        </sequence>
      </complexType>
      <complexType name="ArrayOfInvoiCyRecepcao.DadosItem">
        <sequence>
          <element minOccurs="0" maxOccurs="unbounded" name="InvoiCyRecepcao.DadosItem" type="tns:InvoiCyRecepcao.DadosItem"></element>
        </sequence>
      </complexType>
      <complexType name="InvoiCyRecepcao.DadosItem">
        <sequence>
          <element name="Documento" type="xsd:string"></element>
          <element name="Parametros" type="xsd:string"></element>
        </sequence>
      </complexType>
      <complexType name="Invoicyretorno">
        <sequence>
          <element name="Mensagem">
            <complexType>
              <sequence>
                <element minOccurs="0" maxOccurs="unbounded" name="MensagemItem" type="tns:InvoiCyRetorno.MensagemItem"></element>
              </sequence>
            </complexType>
          </element>
        </sequence>
      </complexType>
      <complexType name="ArrayOfInvoiCyRetorno.MensagemItem">
        <sequence>
          <element minOccurs="0" maxOccurs="unbounded" name="InvoiCyRetorno.MensagemItem" type="tns:InvoiCyRetorno.MensagemItem"></element>
        </sequence>
      </complexType>
      <complexType name="InvoiCyRetorno.MensagemItem">
        <sequence>
          <element name="Codigo" type="xsd:int"></element>
          <element name="Descricao" type="xsd:string"></element>
          <element name="Documentos">
            <complexType>
              <sequence>
                <element minOccurs="0" maxOccurs="unbounded" name="DocumentosItem" type="tns:InvoiCyRetorno.MensagemItem.DocumentosItem"></element>
              </sequence>
            </complexType>
          </element>
        </sequence>
      </complexType>
      <complexType name="ArrayOfInvoiCyRetorno.MensagemItem.DocumentosItem">
        <sequence>
          <element minOccurs="0" maxOccurs="unbounded" name="InvoiCyRetorno.MensagemItem.DocumentosItem" type="tns:InvoiCyRetorno.MensagemItem.DocumentosItem"></element>
        </sequence>
      </complexType>
      <complexType name="InvoiCyRetorno.MensagemItem.DocumentosItem">
        <sequence>
          <element name="Documento" type="xsd:string"></element>
        </sequence>
      </complexType>
      <element name="extensaocertificadosoap.Execute">
        <complexType>
          <sequence>
            <element minOccurs="1" maxOccurs="1" name="Invoicyrecepcao" type="tns:InvoiCy"/>
          </sequence>
        </complexType>
      </element>
      <element name="extensaocertificadosoap.ExecuteResponse">
        <complexType>
          <sequence>
            <element minOccurs="1" maxOccurs="1" name="Invoicyretorno" type="tns:Invoicyretorno"/>
          </sequence>
        </complexType>
      </element>
    </schema>
  </types>
  <message name="extensaocertificadosoap.ExecuteSoapIn">
    <part name="parameters" element="tns:extensaocertificadosoap.Execute"/>
  </message>
  <message name="extensaocertificadosoap.ExecuteSoapOut">
    <part name="parameters" element="tns:extensaocertificadosoap.ExecuteResponse"/>
  </message>
  <portType name="extensaocertificadosoapSoapPort">
    <operation name="Execute">
      <input message="wsdlns:extensaocertificadosoap.ExecuteSoapIn"/>
      <output message="wsdlns:extensaocertificadosoap.ExecuteSoapOut"/>
    </operation>
  </portType>
  <binding name="extensaocertificadosoapSoapBinding" type="wsdlns:extensaocertificadosoapSoapPort">
    <soap:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>
    <operation name="Execute">
      <soap:operation soapAction="InvoiCyaction/AEXTENSAOCERTIFICADOSOAP.Execute"/>
      <input>
        <soap:body use="literal"/>
      </input>
      <output>
        <soap:body use="literal"/>
      </output>
    </operation>
  </binding>
  <service name="extensaocertificadosoap">
    <port name="extensaocertificadosoapSoapPort" binding="wsdlns:extensaocertificadosoapSoapBinding">
      <soap:address location="https://homolog.invoicy.com.br/aextensaocertificadosoap.aspx"/>
    </port>
  </service>
</definitions>
`;
